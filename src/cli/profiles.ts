// `navis profiles list|get|create|delete` (/public/browser-profiles) and `navis credentials
// list|create|delete` (/browser/credentials): what sessions start with and log in with. A
// credential's password is read from a file, a pipe or a hidden prompt, and never printed: navis
// does not answer it back, and the command line has nothing else to print it from.
import type { Command } from 'commander';
import { NavisClient, segment, type ClientOptions, type WithServer } from './client.js';
import { collect, readSecret } from './input.js';
import { ago, emit, fields, table } from './output.js';

interface Profile {
  id: string;
  name: string;
  created_at: string;
}

interface Credential {
  id: string;
  name: string;
  allowedDomains: string[];
  hasTotp: boolean;
  allowInsecure: boolean;
  createdAt: string;
}

const describeProfile = (p: Profile) =>
  fields([
    ['profile', p.id],
    ['name', p.name],
    ['created', `${p.created_at} (${ago(p.created_at)})`],
  ]);

export function profileCommands(program: Command, withServer: WithServer): void {
  const profiles = program
    .command('profiles')
    .description('browser profiles: a Chromium user-data directory (cookies, logins) sessions start from');

  withServer(profiles.command('list'))
    .description('profiles of your tenant')
    .action(async (opts: ClientOptions) => {
      const answer = await new NavisClient(opts).json<{ profiles: Profile[] }>('GET', '/public/browser-profiles');
      emit(opts, answer, () =>
        table(
          answer.profiles,
          [
            ['id', (p) => p.id],
            ['name', (p) => p.name],
            ['created', (p) => ago(p.created_at)],
          ],
          'No profiles.',
        ),
      );
    });

  withServer(profiles.command('get <id>'))
    .description('one profile')
    .action(async (id: string, opts: ClientOptions) => {
      const profile = await new NavisClient(opts).json<Profile>('GET', `/public/browser-profiles/${segment(id)}`);
      emit(opts, profile, () => describeProfile(profile));
    });

  withServer(profiles.command('create <name>'))
    .description('create an empty profile; use it with `navis sessions create --profile <id>`')
    .action(async (name: string, opts: ClientOptions) => {
      const profile = await new NavisClient(opts).json<Profile>('POST', '/public/browser-profiles', { name });
      emit(opts, profile, () => describeProfile(profile));
    });

  withServer(profiles.command('delete <id>'))
    .description('delete a profile and its directory')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('DELETE', `/public/browser-profiles/${segment(id)}`);
      emit(opts, undefined, () => `Deleted profile ${id}.`);
    });
}

interface CreateCredentialOptions extends ClientOptions {
  domain: string[];
  username: string;
  valueFile?: string;
  totpFile?: string;
  allowInsecure?: boolean;
}

export function credentialCommands(program: Command, withServer: WithServer): void {
  const credentials = program
    .command('credentials')
    .description('the credential vault: logins for authenticate steps (names and domains only are ever shown)');

  withServer(credentials.command('list'))
    .description('credentials of your tenant: names and domains, never usernames or passwords')
    .action(async (opts: ClientOptions) => {
      const answer = await new NavisClient(opts).json<{ credentials: Credential[] }>('GET', '/browser/credentials');
      emit(opts, answer, () =>
        table(
          answer.credentials,
          [
            ['id', (c) => c.id],
            ['name', (c) => c.name],
            ['domains', (c) => c.allowedDomains.join(', ')],
            ['totp', (c) => (c.hasTotp ? 'yes' : 'no')],
            ['created', (c) => ago(c.createdAt)],
          ],
          'No credentials.',
        ),
      );
    });

  withServer(credentials.command('create <name>'))
    .description(
      'store a login; the password comes from --value-file, else from stdin when piped, else a prompt that does not echo',
    )
    .requiredOption(
      '--domain <host>',
      'a host it may be filled on, e.g. login.example.com or *.example.com (repeatable)',
      collect,
    )
    .requiredOption('--username <username>', 'the username or email')
    .option('--value-file <file>', 'read the password from this file (one trailing newline is dropped)')
    .option('--totp-file <file>', 'read a TOTP secret (base32 or otpauth:// URI) from this file')
    .option('--allow-insecure', 'allow filling over plain http on hosts that are not loopback')
    .addHelpText(
      'after',
      '\nExamples:\n  navis credentials create shop --domain shop.example.com --username ada@example.com          # prompts\n  pass show shop | navis credentials create shop --domain shop.example.com --username ada@example.com',
    )
    .action(async (name: string, opts: CreateCredentialOptions) => {
      const password = await readSecret('password', opts.valueFile);
      const totpSecret = opts.totpFile ? await readSecret('TOTP secret', opts.totpFile) : undefined;
      const credential = await new NavisClient(opts).json<Credential>('POST', '/browser/credentials', {
        name,
        allowedDomains: opts.domain,
        username: opts.username,
        password,
        totpSecret,
        allowInsecure: opts.allowInsecure,
      });
      emit(opts, credential, () =>
        fields([
          ['credential', credential.id],
          ['name', credential.name],
          ['domains', credential.allowedDomains.join(', ')],
          ['totp', credential.hasTotp ? 'yes' : 'no'],
          ['insecure http', credential.allowInsecure ? 'allowed' : undefined],
        ]),
      );
    });

  withServer(credentials.command('delete <id>'))
    .description('delete a credential')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('DELETE', `/browser/credentials/${segment(id)}`);
      emit(opts, undefined, () => `Deleted credential ${id}.`);
    });
}
