import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FfmpegNotFoundError, FfmpegRunError, ffmpegVersion, resolveFfmpeg } from "./index.ts";

// These run the real ffmpeg (Debian's, installed by scripts/bootstrap.sh): a resolution that only checked
// file names would pass with a broken binary.
const scratch = mkdtempSync(join(tmpdir(), "dubstage-ffmpeg-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const systemFfmpeg = resolveFfmpeg({ env: { PATH: process.env.PATH }, ffmpegStaticPath: () => null }).path;

describe("resolveFfmpeg", () => {
  it("finds the system ffmpeg on PATH, and it runs", async () => {
    const found = resolveFfmpeg({ env: { PATH: `/nonexistent-dir:${process.env.PATH}` }, ffmpegStaticPath: () => null });
    expect(found.source).toBe("path");
    expect(found.path.endsWith("/ffmpeg")).toBe(true);
    const out = execFileSync(found.path, ["-version"], { encoding: "utf8" });
    expect(out).toMatch(/^ffmpeg version \S+/);
    expect(await ffmpegVersion(found.path)).toMatch(/^\d+\.\d+/);
  });

  it("prefers the ffmpeg-static binary when the package has one", async () => {
    const staticBinary = join(scratch, "ffmpeg-static-binary");
    symlinkSync(systemFfmpeg, staticBinary);
    const found = resolveFfmpeg({ env: { PATH: process.env.PATH }, ffmpegStaticPath: () => staticBinary });
    expect(found).toEqual({ path: staticBinary, source: "ffmpeg-static" });
    expect(await ffmpegVersion(found.path)).toBe(await ffmpegVersion(systemFfmpeg));
  });

  it("falls back to PATH when ffmpeg-static's install script downloaded nothing", () => {
    const missing = join(scratch, "never-downloaded", "ffmpeg");
    const found = resolveFfmpeg({ env: { PATH: process.env.PATH }, ffmpegStaticPath: () => missing });
    expect(found.source).toBe("path");
  });

  it("uses the installed ffmpeg-static package by default (here its binary is absent, so PATH wins)", () => {
    // allowBuilds keeps ffmpeg-static's download script from running, so the package exists without a binary.
    expect(resolveFfmpeg({ env: { PATH: process.env.PATH } }).source).toBe("path");
  });

  it("takes FFMPEG_PATH when set, and rejects a wrong one instead of falling back", () => {
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: systemFfmpeg, PATH: "" } })).toEqual({ path: systemFfmpeg, source: "env" });
    const bad = join(scratch, "no-such-ffmpeg");
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: bad, PATH: process.env.PATH } })).toThrow(`FFMPEG_PATH=${bad} does not exist`);
  });

  it("names every place tried when there is no ffmpeg at all", () => {
    const emptyDir = mkdtempSync(join(scratch, "empty-"));
    const notExecutable = join(emptyDir, "ffmpeg");
    writeFileSync(notExecutable, "not a program");
    chmodSync(notExecutable, 0o644);
    let caught: unknown;
    try {
      resolveFfmpeg({ env: { PATH: emptyDir }, ffmpegStaticPath: () => null });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FfmpegNotFoundError);
    const error = caught as FfmpegNotFoundError;
    expect(error.kind).toBe("dependency-unavailable");
    expect(error.tried).toEqual([
      "ffmpeg-static is not installed or has no binary for this platform",
      `no executable ffmpeg in PATH (${emptyDir})`,
    ]);
    expect(error.message).toContain("FFMPEG_PATH");
  });

  it("reports an empty PATH as such", () => {
    expect(() => resolveFfmpeg({ env: {}, ffmpegStaticPath: () => null })).toThrow(/PATH is empty/);
  });
});

describe("ffmpegVersion", () => {
  it("rejects a binary that is not ffmpeg", async () => {
    const fake = join(scratch, "fake-ffmpeg");
    writeFileSync(fake, "#!/bin/sh\necho 'hello'\n");
    chmodSync(fake, 0o755);
    await expect(ffmpegVersion(fake)).rejects.toThrow(FfmpegRunError);
    await expect(ffmpegVersion(fake)).rejects.toThrow(/printed no "ffmpeg version" line/);
  });

  it("rejects a binary that fails", async () => {
    await expect(ffmpegVersion("/bin/false")).rejects.toThrow(/"-version" failed/);
  });
});
