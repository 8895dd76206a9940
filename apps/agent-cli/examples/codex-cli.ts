import { runtime } from './runtime.js';

// A thread Codex started in the same Codex home (`codex exec` prints its session id), resumed here:
// the task Codex registered comes from the thread's rollout, so nothing registers (SPEC §4.5).
const [threadId] = process.argv.slice(2);
if (threadId === undefined) throw new Error('usage: codex-cli.ts <Codex session id>');

const thread = await runtime.resumeThread(threadId);
console.log(thread.task?.taskId); // task_…: Codex's task

const turn = await thread.beginTurn(); // assertions for Codex's task, as Codex itself sends them
if (turn.ok) console.log(turn.auth.task?.taskId === thread.task?.taskId); // true
await runtime.close();
