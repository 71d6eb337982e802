import { uuidFromName } from "@dubstage/media-store";

/**
 * A render object named by what it is (a chunk's audio by its content key, a deliverable by its plan and
 * output): the same name always gives the same `renders/<uuid>` key, so a result made once is found again.
 */
export function renderObject(name: string): {
  readonly key: string;
  readonly scheme: { readonly kind: "id"; readonly prefix: "renders"; readonly id: string };
} {
  const id = uuidFromName(name);
  return { key: `renders/${id}`, scheme: { kind: "id", prefix: "renders", id } };
}
