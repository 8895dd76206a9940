import { runtime } from './runtime.js';

const thread = await runtime.startThread(); // restores, then registers + prewarms in the background
await thread.prewarmed; // (optional) the task is ready before the first turn

const turn = await thread.beginTurn(); // SPEC §4.6: awaits the thread's task
if (turn.ok) {
  console.log(turn.auth.scheme, turn.auth.task?.taskId); // assertion task_…
  console.log(turn.auth.headers().authorization?.split(' ')[0]); // AgentAssertion (fresh per call)
}

const resumed = await runtime.resumeThread(thread.id); // later, or in another process:
console.log(resumed.task?.taskId === thread.task?.taskId); // true: from the rollout, no registration
await runtime.close();
