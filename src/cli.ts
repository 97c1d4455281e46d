#!/usr/bin/env node
// The navis command line: `navis start` runs the server (as npm start does); the other commands
// are clients of a running navis (NAVIS_URL, default http://127.0.0.1:8787; NAVIS_API_KEY), one
// file per command group under cli/. Tables for people, --json for scripts, exit codes in EXIT.
import { Command } from 'commander';
import { adminCommands } from './cli/admin.js';
import { cacheCommands } from './cli/cache.js';
import { EXIT, UsageError, exitCodeOf, serverOptions } from './cli/client.js';
import { credentialCommands, profileCommands } from './cli/profiles.js';
import { runCommands } from './cli/runs.js';
import { sessionCommands } from './cli/sessions.js';
import { siteCommands } from './cli/sites.js';
import { clientSettings } from './config.js';

const HELP_AFTER = `
Every command but start talks to a running navis: --server <url> or NAVIS_URL (default
http://127.0.0.1:8787), --api-key <key> or NAVIS_API_KEY. Add --json to print navis's own JSON on
stdout for scripts; errors and progress go to stderr.

Exit codes:
  0  done
  1  navis answered with an error, or the action or task failed
  2  usage: a bad command, option or input file (nothing was sent)
  3  navis could not be reached
  4  not found (404): no such session, profile, credential, entry, tenant or key
  5  refused (401/403): no API key, a wrong one, or one not allowed to do this

Examples:
  navis sessions create --ttl 3600
  navis task <session-id> task.json --out ./artifacts
  navis act "type {{q}} into Search, then press Enter" --session <session-id> --var q=kettle
  navis sessions list --status active --json | jq -r '.sessions[].session_id'`;

const program = new Command('navis')
  .description('Self-hosted browser automation server, and a client of it')
  // Commander's own errors (an unknown option, a missing argument) are usage errors too.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage))
  .showHelpAfterError('(add --help for usage)')
  .addHelpText('after', HELP_AFTER);
const settings = clientSettings();
const withServer = serverOptions(settings);

program
  .command('start', { isDefault: true })
  .description('start the server in the foreground (settings from NAVIS_* environment variables)')
  // As the default command, start receives a mistyped command name: say that, not "too many arguments".
  .allowExcessArguments(true)
  .action(async (_opts, cmd: Command) => {
    if (cmd.args.length) throw new UsageError(`unknown command '${cmd.args[0]}' (navis --help lists the commands)`);
    await import('./main.js');
  });

sessionCommands(program, withServer);
runCommands(program, withServer);
profileCommands(program, withServer);
credentialCommands(program, withServer);
cacheCommands(program, withServer);
siteCommands(program, withServer);
adminCommands(program, withServer);

program
  .command('mcp')
  .description('serve MCP on stdio for an AI agent (Claude Desktop, Cursor…): the navis at NAVIS_URL, as NAVIS_API_KEY')
  .action(async () => {
    const { serveStdio } = await import('./mcp/stdio.js');
    await serveStdio(settings);
  });

program.parseAsync().catch((error: Error) => {
  console.error(`navis: ${error.message}`);
  process.exit(exitCodeOf(error));
});
