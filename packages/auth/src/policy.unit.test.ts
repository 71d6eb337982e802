import { describe, expect, it } from "vitest";
import { ForbiddenError } from "./errors.ts";
import { type Action, authorize, isAllowed } from "./policy.ts";
import { ROLES, type Role } from "./roles.ts";

const SUP = "supervising_sound_editor";
const DX = "dialogue_editor";
const SFX = "sound_effects_editor";
const FOL = "foley_editor";
const MIX = "re_recording_mixer";
const INT = "integration";
const ADMIN = "admin";

// The README's policy table, written out literally (not derived from the implementation).
const cases: [string, Action, Role[]][] = [
  ["read", { type: "session.read" }, [ADMIN, SUP, DX, SFX, FOL, MIX, INT]],
  ["watch", { type: "session.watch" }, [ADMIN, SUP, DX, SFX, FOL, MIX, INT]],
  ["create", { type: "session.create" }, [ADMIN, SUP]],
  ["render", { type: "render.request" }, [ADMIN, SUP, MIX]],
  ["edit DX content", { type: "session.edit", tracks: ["DX"] }, [ADMIN, SUP, DX]],
  ["edit FX content", { type: "session.edit", tracks: ["FX"], scope: "content" }, [ADMIN, SUP, SFX]],
  ["edit BG content", { type: "session.edit", tracks: ["BG"] }, [ADMIN, SUP, SFX]],
  ["edit FOLEY content", { type: "session.edit", tracks: ["FOLEY"] }, [ADMIN, SUP, FOL]],
  ["edit MX content", { type: "session.edit", tracks: ["MX"] }, [ADMIN, SUP]],
  ["edit FX+BG content", { type: "session.edit", tracks: ["FX", "BG"] }, [ADMIN, SUP, SFX]],
  ["edit DX+FX content", { type: "session.edit", tracks: ["DX", "FX"] }, [ADMIN, SUP]],
  ["gain/fade DX", { type: "session.edit", tracks: ["DX"], scope: "gain-fade" }, [ADMIN, SUP, DX, MIX]],
  ["gain/fade FX", { type: "session.edit", tracks: ["FX"], scope: "gain-fade" }, [ADMIN, SUP, SFX, MIX]],
  ["gain/fade BG", { type: "session.edit", tracks: ["BG"], scope: "gain-fade" }, [ADMIN, SUP, SFX, MIX]],
  ["gain/fade FOLEY", { type: "session.edit", tracks: ["FOLEY"], scope: "gain-fade" }, [ADMIN, SUP, FOL, MIX]],
  ["gain/fade MX", { type: "session.edit", tracks: ["MX"], scope: "gain-fade" }, [ADMIN, SUP, MIX]],
  ["gain/fade all tracks", { type: "session.edit", tracks: ["DX", "MX", "FX", "BG", "FOLEY"], scope: "gain-fade" }, [ADMIN, SUP, MIX]],
  ["session-level edit", { type: "session.edit", tracks: [] }, [ADMIN, SUP]],
];

describe("authorize: the policy table", () => {
  for (const [label, action, allowed] of cases) {
    for (const role of ROLES) {
      const expected = allowed.includes(role);
      it(`${label}: ${role} is ${expected ? "allowed" : "denied"}`, () => {
        const actor = { userId: "u1", role };
        expect(isAllowed(actor, action)).toBe(expected);
        if (expected) expect(() => authorize(actor, action)).not.toThrow();
        else expect(() => authorize(actor, action)).toThrow(ForbiddenError);
      });
    }
  }
});

describe("authorize: denial details", () => {
  it("names role, action and the first denied track type", () => {
    const error = denial({ userId: "ann", role: DX }, { type: "session.edit", tracks: ["DX", "FX"] });
    expect(error.kind).toBe("forbidden");
    expect(error.role).toBe(DX);
    expect(error.action).toBe("session.edit (content)");
    expect(error.trackType).toBe("FX");
    expect(error.message).toBe("role dialogue_editor may not session.edit (content) on FX tracks: dialogue_editor edits only DX tracks");
  });

  it("explains the mixer's limit", () => {
    const error = denial({ userId: "m", role: MIX }, { type: "session.edit", tracks: ["MX"] });
    expect(error.message).toContain("re_recording_mixer");
    expect(error.message).toContain("MX");
    expect(error.message).toContain("only clip gain and fades");
  });

  it("says integrations are read-only and names non-track actions", () => {
    expect(denial({ userId: "i", role: INT }, { type: "session.edit", tracks: ["DX"], scope: "gain-fade" }).message).toContain("read-only");
    const render = denial({ userId: "f", role: FOL }, { type: "render.request" });
    expect(render.action).toBe("render.request");
    expect(render.trackType).toBeUndefined();
    expect(render.message).toMatch(/^role foley_editor may not render\.request:/);
  });

  it("denies an unknown track type smuggled past the types", () => {
    const error = denial({ userId: "s", role: SFX }, { type: "session.edit", tracks: ["LFE" as "FX"] });
    expect(error.trackType).toBe("LFE");
  });
});

function denial(actor: { userId: string; role: Role }, action: Action): ForbiddenError {
  try {
    authorize(actor, action);
  } catch (error) {
    if (error instanceof ForbiddenError) return error;
    throw error;
  }
  throw new Error("expected a ForbiddenError");
}
