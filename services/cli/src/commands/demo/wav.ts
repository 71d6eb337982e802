/**
 * A mono 24-bit PCM WAV file (RIFF/WAVE, `fmt ` + `data` chunks) from samples in [-1, 1]. Enough for the demo's
 * generated media; real ingest reads BWF with its `bext`/`iXML` chunks.
 */
export function encodeWav24(samples: Float32Array, sampleRate: number): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`sample rate must be a positive integer, got ${sampleRate}`);
  const bytesPerSample = 3;
  const dataBytes = samples.length * bytesPerSample;
  const out = Buffer.alloc(44 + dataBytes + (dataBytes % 2)); // chunks are word-aligned
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(out.length - 8, 4);
  out.write("WAVE", 8, "ascii");
  out.write("fmt ", 12, "ascii");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // WAVE_FORMAT_PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * bytesPerSample, 28);
  out.writeUInt16LE(bytesPerSample, 32);
  out.writeUInt16LE(24, 34);
  out.write("data", 36, "ascii");
  out.writeUInt32LE(dataBytes, 40);
  const max = 0x7fffff;
  for (let i = 0; i < samples.length; i++) {
    const clamped = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out.writeIntLE(Math.round(clamped * max), 44 + i * bytesPerSample, 3);
  }
  return out;
}

/** Deterministic test signals, so the demo's media (and its content-addressed keys) are the same every run. */
export const signals = {
  /** A voice-like tone: a 140 Hz fundamental with a few harmonics, amplitude-modulated at syllable rate. */
  dialogue(seconds: number, sampleRate: number): Float32Array {
    const out = new Float32Array(Math.round(seconds * sampleRate));
    for (let i = 0; i < out.length; i++) {
      const t = i / sampleRate;
      const voice = Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t) + 0.25 * Math.sin(2 * Math.PI * 420 * t);
      const syllables = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
      out[i] = 0.2 * voice * syllables;
    }
    return out;
  },
  /** A door slam: a noise burst with a fast exponential decay and a low thump. */
  impact(seconds: number, sampleRate: number): Float32Array {
    const out = new Float32Array(Math.round(seconds * sampleRate));
    let seed = 0x2545f491;
    for (let i = 0; i < out.length; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const noise = ((seed >>> 0) / 0xffffffff) * 2 - 1;
      const t = i / sampleRate;
      out[i] = Math.exp(-t * 9) * (0.5 * noise + 0.4 * Math.sin(2 * Math.PI * 60 * t));
    }
    return out;
  },
  /** A car pass-by: a rising then falling engine tone, loudest in the middle. */
  passBy(seconds: number, sampleRate: number): Float32Array {
    const out = new Float32Array(Math.round(seconds * sampleRate));
    let phase = 0;
    for (let i = 0; i < out.length; i++) {
      const x = i / out.length;
      const frequency = 90 + 40 * Math.cos(Math.PI * x); // Doppler: higher approaching, lower receding
      phase += (2 * Math.PI * frequency) / sampleRate;
      out[i] = 0.4 * Math.sin(Math.PI * x) * (Math.sin(phase) + 0.3 * Math.sin(2 * phase));
    }
    return out;
  },
};
