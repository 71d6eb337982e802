import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  MediaFileError,
  MediaToolAbortedError,
  MediaToolNotFoundError,
  MediaToolOutputTooLargeError,
  MediaToolTimeoutError,
  ProgressTracker,
  resolveFfprobe,
  resolveMediaTools,
} from "./index.ts";
import { lastLine, runTool } from "./run-tool.ts";

const tools = resolveMediaTools();
const scratch = mkdtempSync(join(tmpdir(), "dubstage-run-tool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// An endless source, so only the timeout or the signal can end the run.
const endless = ["-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "anullsrc", "-f", "null", "-"];

describe("runTool", () => {
  it("kills a run at its timeout", async () => {
    const error = await runTool({ tool: "ffmpeg", path: tools.ffmpeg, args: endless, input: "anullsrc", timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaToolTimeoutError);
    expect((error as MediaToolTimeoutError).kind).toBe("deadline");
  });

  it("kills a run when the signal fires, and refuses to start on an aborted one", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const run = runTool({
      tool: "ffmpeg",
      path: tools.ffmpeg,
      args: endless,
      input: "anullsrc",
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    await expect(run).rejects.toBeInstanceOf(MediaToolAbortedError);
    await expect(
      runTool({ tool: "ffmpeg", path: tools.ffmpeg, args: endless, input: "x", timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toThrow(/cancelled/);
  });

  it("quotes the last stderr line of a failed run, and keeps only a bounded tail of stderr", async () => {
    const chatty = join(scratch, "chatty");
    // 400 KB of stderr, then the line that says why.
    writeFileSync(chatty, `#!/bin/sh\nyes 'noise noise noise noise' | head -c 400000 >&2\necho >&2\necho 'the real reason' >&2\nexit 3\n`);
    chmodSync(chatty, 0o755);
    const error = (await runTool({ tool: "ffmpeg", path: chatty, args: [], input: "in.mov", timeoutMs: 5000 }).catch(
      (e: unknown) => e,
    )) as MediaFileError;
    expect(error).toBeInstanceOf(MediaFileError);
    expect(error.message).toBe("in.mov: ffmpeg failed (exit 3): the real reason");
    expect(error.exitCode).toBe(3);
  });

  it("stops reading stdout past the limit", async () => {
    const flood = join(scratch, "flood");
    writeFileSync(flood, "#!/bin/sh\nhead -c 2000000 /dev/zero\n");
    chmodSync(flood, 0o755);
    await expect(
      runTool({ tool: "ffprobe", path: flood, args: [], input: "in.mov", timeoutMs: 5000, maxStdoutBytes: 1000 }),
    ).rejects.toBeInstanceOf(MediaToolOutputTooLargeError);
  });

  it("reports a binary that cannot be spawned as dependency-unavailable", async () => {
    const error = await runTool({ tool: "ffmpeg", path: join(scratch, "gone"), args: [], input: "in.mov", timeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaToolNotFoundError);
    expect((error as MediaToolNotFoundError).kind).toBe("dependency-unavailable");
  });

  it("lastLine skips blank lines and caps length", () => {
    expect(lastLine("a\nb\n\n  \n")).toBe("b");
    expect(lastLine("")).toBeUndefined();
    expect(lastLine("x".repeat(600))?.length).toBe(500);
  });
});

describe("ProgressTracker", () => {
  it("turns out_time_us into a rising fraction and ends at 1", () => {
    const seen: number[] = [];
    const tracker = new ProgressTracker(2_000_000, (f) => seen.push(f));
    for (const line of [
      "frame=10",
      "out_time_us=500000",
      "out_time_us=N/A",
      "progress=continue",
      "out_time_us=400000",
      "out_time_us=1500000",
      "out_time_us=9000000",
      "progress=end",
    ]) {
      tracker.line(line);
    }
    expect(seen).toEqual([0.25, 0.75, 1]);
  });

  it("without a known duration reports only the end", () => {
    const seen: number[] = [];
    const tracker = new ProgressTracker(undefined, (f) => seen.push(f));
    tracker.line("out_time_us=500000");
    tracker.line("progress=end");
    expect(seen).toEqual([1]);
  });
});

describe("resolveFfprobe", () => {
  it("takes the ffprobe next to ffmpeg first", () => {
    const dir = mkdtempSync(join(scratch, "bin-"));
    symlinkSync(tools.ffmpeg, join(dir, "ffmpeg"));
    symlinkSync(tools.ffprobe, join(dir, "ffprobe"));
    expect(resolveFfprobe(join(dir, "ffmpeg"), { PATH: "" })).toBe(join(dir, "ffprobe"));
  });

  it("falls back to PATH when ffmpeg has no sibling (ffmpeg-static ships none)", () => {
    const dir = mkdtempSync(join(scratch, "static-"));
    expect(resolveFfprobe(join(dir, "ffmpeg"), { PATH: process.env.PATH })).toMatch(/\/ffprobe$/);
  });

  it("honours FFPROBE_PATH and rejects a wrong one without falling back", () => {
    expect(resolveFfprobe(tools.ffmpeg, { FFPROBE_PATH: tools.ffprobe })).toBe(tools.ffprobe);
    expect(() => resolveFfprobe(tools.ffmpeg, { FFPROBE_PATH: "/nope/ffprobe", PATH: process.env.PATH })).toThrow(
      /FFPROBE_PATH=\/nope\/ffprobe does not exist/,
    );
  });

  it("names every place tried", () => {
    const dir = mkdtempSync(join(scratch, "none-"));
    const error = (() => {
      try {
        resolveFfprobe(join(dir, "ffmpeg"), { PATH: dir });
      } catch (e) {
        return e;
      }
    })() as MediaToolNotFoundError;
    expect(error).toBeInstanceOf(MediaToolNotFoundError);
    expect(error.tried).toEqual([`${join(dir, "ffprobe")} (next to ffmpeg) does not exist`, `no executable ffprobe in PATH (${dir})`]);
  });
});

describe("runTool with a throwing progress callback", () => {
  it("stops the run and rejects with the callback's error", async () => {
    const error = await runTool({
      tool: "ffmpeg",
      path: tools.ffmpeg,
      args: [...endless.slice(0, -3), "-progress", "pipe:1", "-f", "null", "-"],
      input: "anullsrc",
      timeoutMs: 10_000,
      onStdoutLine: () => {
        throw new Error("progress sink broke");
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("progress sink broke");
  });
});
