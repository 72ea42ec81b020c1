// Piscina worker entry: worker threads do not inherit the parent's programmatic tsx registration, so
// register tsx's ESM loader here, then load the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const { runPointTask } = await import('./task.ts');

export default runPointTask;
