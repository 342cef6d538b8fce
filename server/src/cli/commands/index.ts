/** Every CLI command, in `dirsync help` order. Add a command: one file in this folder, one line here. */
import type { CliCommand } from '../command';
import { checkCommand } from './check';
import { cloudCommand } from './cloud';
import { explainCommand } from './explain';
import { planCommand } from './plan';
import { previewCommand } from './preview';
import { purgeAvatarsCommand } from './purgeAvatars';

export const commands: CliCommand[] = [checkCommand, previewCommand, planCommand, explainCommand, purgeAvatarsCommand, cloudCommand];
