import { CommandError } from './cli-error.js';

/**
 * Reading a password without it ever appearing as a command-line argument (visible in the process
 * list and shell history): from standard input for scripts, or typed at a prompt with echo off.
 */

/** Largest password read from stdin; anything longer is a mistake (a file piped by accident). */
const MAX_PASSWORD_BYTES = 4096;

/**
 * The whole of standard input, less one trailing newline (`echo pw | …` and files end with one;
 * other whitespace is kept, as it may be part of the password).
 */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_PASSWORD_BYTES) throw new CommandError(`the password on stdin is longer than ${MAX_PASSWORD_BYTES} bytes`);
    chunks.push(buffer);
  }
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new CommandError('no password on stdin');
  return password;
}

/**
 * Asks for a password on the terminal twice, without echo. Refuses when stdin is not a terminal,
 * so that a script that forgot `--password-stdin` fails instead of hanging.
 */
export async function promptForNewPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    throw new CommandError('no password given: pipe it with --password-stdin (stdin is not a terminal to prompt on)');
  }
  const first = await promptHidden('Password: ');
  if (first === '') throw new CommandError('the password must not be empty');
  const second = await promptHidden('Repeat password: ');
  if (first !== second) throw new CommandError('the passwords do not match');
  return first;
}

/** One line typed at the terminal in raw mode, echoing nothing. Ctrl-C aborts. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CommandError('cancelled'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
