import { chmod, type FileHandle, open, stat } from "node:fs/promises";
import { InsecureFileError } from "./errors.ts";

const GROUP_OR_OTHER = 0o077;

/**
 * Refuses a secret file (private key, token) that group or others may access: a key that leaked to other
 * users must not be used silently. Windows has no such bits; the check passes there.
 */
export async function assertOwnerOnly(path: string, what: string): Promise<void> {
  const { mode } = await stat(path);
  if (process.platform !== "win32" && (mode & GROUP_OR_OTHER) !== 0) throw new InsecureFileError(path, what, mode);
}

/**
 * Writes a secret file we own with mode 0600, also when it already exists with wider bits (`writeFile`'s
 * mode applies only on creation): the mode is fixed before the new content is written.
 */
export async function writeOwnerOnly(path: string, content: string): Promise<void> {
  const handle: FileHandle = await open(path, "w", 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Narrows a directory we created (mkdir's mode applies only on creation) to its owner. */
export async function restrictDirectory(path: string): Promise<void> {
  const { mode } = await stat(path);
  if (process.platform !== "win32" && (mode & GROUP_OR_OTHER) !== 0) await chmod(path, 0o700);
}
