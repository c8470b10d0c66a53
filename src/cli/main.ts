import { ConfigError } from '../config/model.js';
import { DesignFileError } from '../design/file.js';
import { InputError } from '../ingest/files.js';
import { commands } from './commands/index.js';
import { UsageError, type CliIO } from './io.js';

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

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`shardwise: unknown command '${name}'\nhint: run 'shardwise --help' for the list of commands\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      io.stderr.write(`shardwise ${name}: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof DesignFileError) {
      const problems = e instanceof ConfigError ? e.problems : e.problems;
      for (const p of problems) io.stderr.write(`${p.file}:${p.line}:${p.column}: ${p.message}\n${p.hint ? `  hint: ${p.hint}\n` : ''}`);
      return 2;
    }
    const err = e as Error;
    io.stderr.write(
      `shardwise ${name}: internal error: ${err?.message ?? String(e)}\n` +
        `This is a bug in shardwise. Please report it with the command you ran and this trace:\n${err?.stack ?? ''}\n`,
    );
    return 3;
  }
}
