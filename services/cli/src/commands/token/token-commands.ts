import type { Command } from "../../framework/command.ts";
import { tokenMintCommand } from "./token-mint-command.ts";

/** `dubstage token mint`. */
export const tokenCommands: readonly Command[] = [tokenMintCommand];
