// Reads a command's input file, or standard input when the file is `-`; a file that cannot be read is
// said in words ("cannot read /x.json: no such file"), not as a system error.
import { readFile } from 'node:fs/promises';
import { fileProblem } from '../file-problem.js';

/** What the user calls the input: its path, or "standard input" for `-`. */
export function inputName(file: string): string {
  return file === '-' ? 'standard input' : file;
}

export async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read ${file}: ${fileProblem(error)}`, { cause: error });
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
