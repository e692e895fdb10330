// A file that cannot be read, said in words ("no such file") rather than as a system error code.

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** Why reading a file failed, in words; the system's message for anything less common. */
export function fileProblem(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  if (code !== undefined && WORDS[code] !== undefined) return WORDS[code];
  return error instanceof Error ? error.message : String(error);
}
