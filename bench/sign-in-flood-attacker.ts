/**
 * The attacker of `npm run bench:sign-in-flood`, in a process of its own so that its loops never
 * share an event loop with the victim's timing: from 127.0.0.2, keeps FLOOD posts of one sign-in
 * form in flight, each with a new username, re-posting as soon as an answer comes back, until told
 * to stop; then reports how it was answered.
 */
import { Agent, fetch } from 'undici';

interface Start {
  url: string;
  cookie: string;
  fields: Array<[string, string]>;
  flood: number;
}

const start = await new Promise<Start>((resolve) => process.once('message', resolve as never));
const agent = new Agent({ localAddress: '127.0.0.2', connections: start.flood });
let flooding = true;
let sent = 0;
const statuses: Record<string, number> = {};
process.once('message', () => {
  flooding = false;
});
await Promise.all(
  Array.from({ length: start.flood }, async () => {
    while (flooding) {
      sent += 1;
      const response = await fetch(start.url, {
        method: 'POST',
        dispatcher: agent,
        redirect: 'manual',
        headers: { cookie: start.cookie },
        body: new URLSearchParams([...start.fields, ['username', `sprayed-${sent}`], ['password', 'Summer2026!'], ['decision', 'approve']]),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }),
);
process.send?.(statuses);
await agent.close();
