/** The candidates within a small edit distance of `input`, closest first: for "did you mean" hints. */
export function suggest(input: string, candidates: Iterable<string>, maxDistance = 2): string[] {
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance <= maxDistance || (input.length >= 3 && candidate.startsWith(input))) scored.push({ candidate, distance });
  }
  return scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate)).map((s) => s.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
