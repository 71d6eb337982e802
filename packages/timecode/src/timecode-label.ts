/**
 * The SMPTE label of a frame count from 00:00:00:00 at any nominal rate (interchange files carry 120 fps and
 * other rates `FRAME_RATES` does not list) and without the 24-hour bound: a reader prints what the file
 * says. Drop-frame skips `timebase / 15` labels (2 at 30, 4 at 60) at the start of each minute except every
 * tenth. For the rates of `FRAME_RATES`, within a day, this equals `framesToTimecode`.
 */
export function timecodeLabel(frames: number, timebase: number, dropFrame: boolean): string {
  let labels = Math.max(0, frames);
  if (dropFrame && timebase > 0) {
    const dropped = Math.round(timebase / 15);
    const perTenMinutes = timebase * 600 - dropped * 9;
    const perMinute = timebase * 60 - dropped;
    const rest = labels % perTenMinutes;
    labels += dropped * 9 * Math.floor(labels / perTenMinutes) + (rest > dropped ? dropped * Math.floor((rest - dropped) / perMinute) : 0);
  }
  const f = timebase > 0 ? labels % timebase : 0;
  const totalSeconds = timebase > 0 ? Math.floor(labels / timebase) : 0;
  const two = (x: number) => String(x).padStart(2, "0");
  return `${two(Math.floor(totalSeconds / 3600))}:${two(Math.floor(totalSeconds / 60) % 60)}:${two(totalSeconds % 60)}${dropFrame ? ";" : ":"}${two(f)}`;
}
