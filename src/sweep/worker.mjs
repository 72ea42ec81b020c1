// Piscina worker entry. Compiled (dist/), the task is JavaScript beside this file. From the sources,
// worker threads do not inherit the parent's programmatic tsx registration, so register tsx's ESM
// loader here (tsx is a devDependency), then load the TypeScript task.
import { existsSync } from 'node:fs';

const compiled = existsSync(new URL('./task.js', import.meta.url));
if (!compiled) (await import('tsx/esm/api')).register();
const { runPointTask } = await import(compiled ? './task.js' : './task.ts');

export default runPointTask;
