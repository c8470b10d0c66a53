import { commands } from './commands/index.js';
import { maskedIO, secretsOf } from './secrets.js';
import type { CliIO } from './io.js';
import { shown } from '../ingest/inert.js';

import { VERSION } from './version.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `shardwise ${VERSION}: plan, prove and guard the move of a PostgreSQL database onto Citus

Usage: shardwise <command> [options]

Commands:
${lines.join('\n')}

Run 'shardwise <command> --help' for a command's options.
`;
}

export async function main(argv: string[], given: CliIO): Promise<number> {
  const io = maskedIO(given, secretsOf(argv, given.env));
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return 0;
  }
  if (!name) {
    io.stdout.write(help());
    io.stderr.write(`shardwise: command line:1:11: no command given\nhint: name one of: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const near = commands.find((c) => c.name === name.toLowerCase() || (name.length > 3 && c.name.startsWith(name.toLowerCase().slice(0, 4))));
    io.stderr.write(`shardwise: command line:1:11: unknown command '${shown(name)}'\nhint: ${near ? `did you mean '${near.name}'? ` : ''}run 'shardwise --help' for the list of commands\n`);
    return 2;
  }
  const code = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(code.usage.endsWith('\n') ? code.usage : code.usage + '\n');
    return 0;
  }
  try {
    return await code.run(rest, io);
  } catch (e) {
    // loaded only on failure: it knows every kind of error, so it imports much of shardwise
    const { reportFailure } = await import('./errors.js');
    return reportFailure(name, rest, e, io);
  }
}
