/** Every CLI command, in `dirsync help` order. Add a command: one file in this folder, one line here. */
import type { CliCommand } from '../command';
import { applyCommand } from './apply';
import { checkCommand } from './check';
import { cloudCommand } from './cloud';
import { explainCommand } from './explain';
import { planCommand } from './plan';
import { previewCommand } from './preview';
import { purgeAvatarsCommand } from './purgeAvatars';
import { serveCommand } from './serve';
import { syncCommand } from './sync';

export const commands: CliCommand[] = [
  checkCommand,
  previewCommand,
  planCommand,
  applyCommand,
  syncCommand,
  serveCommand,
  explainCommand,
  purgeAvatarsCommand,
  cloudCommand,
];
