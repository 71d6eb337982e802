import { join } from "node:path";
import type { renderService } from "@dubstage/proto";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import { requireSessionId } from "../shared/ids.ts";
import { wholeNumber } from "../shared/numbers.ts";
import { formatRender } from "./format-render.ts";
import { followRender, writeDeliverables } from "./render-flow.ts";
import { RenderProgress } from "./render-progress.ts";
import { openRenderTarget } from "./render-target.ts";
import { layoutToProto, type RenderView, toRenderView } from "./render-view.ts";

const HELP = "dubstage render --help";

export async function run(input: CommandInput): Promise<CommandOutput<RenderView>> {
  const sessionId = requireSessionId(String(input.args.session), "session", HELP);
  const profileId = String(input.options.profile).trim();
  if (profileId === "") throw new UsageError("--profile must name a delivery profile", HELP);
  const askedVersion = input.options.version === undefined ? undefined : wholeNumber(input.options.version, "--version", 1, HELP);
  const chunkSeconds =
    input.options["chunk-seconds"] === undefined ? 0 : wholeNumber(input.options["chunk-seconds"], "--chunk-seconds", 1, HELP);
  const layout = typeof input.options.layout === "string" ? input.options.layout : "5.1";
  const outputs = [...new Set((Array.isArray(input.options.output) ? input.options.output : []) as string[])];

  const target = await openRenderTarget(input);
  const progress = new RenderProgress(input.log, input.env);
  try {
    let sessionVersion = askedVersion;
    if (sessionVersion === undefined) {
      const { session } = await target.sessions.getSession(sessionId, { signal: input.signal });
      if (!session) throw new Error("the server answered GetSession without a session");
      sessionVersion = Number(session.version);
    }
    input.log(
      `rendering session ${sessionId} at version ${sessionVersion}${askedVersion === undefined ? " (its current one)" : ""}, ` +
        `profile ${profileId}, ${layout}, outputs ${outputs.length ? outputs.join(" ") : "all"}, through ${target.description}`,
    );
    const { renderId } = await target.renders.requestRender(
      { sessionId, sessionVersion, profileId, layout: layoutToProto(layout), chunkSeconds, outputs },
      { signal: input.signal },
    );
    input.log(`render ${renderId}`);
    const render = await followRender(target.renders, renderId, (r) => progress.show(r), input.signal);
    progress.end();
    return await finish(input, target, render);
  } finally {
    progress.end();
    await target.close();
  }
}

async function finish(
  input: CommandInput,
  target: Awaited<ReturnType<typeof openRenderTarget>>,
  render: renderService.Render,
): Promise<CommandOutput<RenderView>> {
  const failed = (view: RenderView, text: string): CommandOutput<RenderView> => ({ data: view, text, exitCode: 1 });
  if (render.deliverables.length === 0) {
    const view = toRenderView(render, null, new Map());
    return failed(view, formatRender(view, undefined));
  }
  // A platform already running on S3 keeps the files where this command cannot read them: say so, keep the view.
  if (!(await target.store.exists(render.deliverables[0]!.mediaKey))) {
    const view = toRenderView(render, null, new Map());
    const text = `${formatRender(view, undefined)}\n  not downloaded: the deliverables are not in ${target.mediaLocation} (the running platform keeps its media elsewhere, e.g. S3); their media keys are in --json`;
    return failed(view, text);
  }
  const outOption = typeof input.options.out === "string" && input.options.out.trim() !== "" ? input.options.out : undefined;
  const outDir = resolveFromCaller(outOption ?? join("renders", render.renderId), input.env);
  const { files, qcTexts } = await writeDeliverables(target.store, render, outDir, (file) => input.log(`wrote ${file}`));
  const view = toRenderView(render, outDir, files);
  const printmaster = render.deliverables.find((d) => d.output === "PRINTMASTER");
  const text = formatRender(view, printmaster ? qcTexts.get(printmaster.mediaKey) : undefined);
  const pass = view.state === "completed" && view.deliverables.every((d) => d.qcPass);
  return pass ? { data: view, text } : failed(view, text);
}
