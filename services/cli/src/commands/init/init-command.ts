import { defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import type { InitView } from "./init-run.ts";

export const initCommand = defineCommand<InitView>({
  path: ["init"],
  summary: "Set up a data directory for the embedded platform: database, key pair and admin token",
  description:
    "Creates the directory if missing (the other commands never do, so a mistyped --data-dir fails there), migrates\n" +
    "its embedded database and makes its key pair. Running it again on a set-up directory changes nothing but the\n" +
    "admin token's expiry.",
  options: { ...DATA_DIR_OPTION },
  examples: ["dubstage init", "dubstage init --data-dir ~/dubstage/feature-x"],
  load: () => import("./init-run.ts"),
});
