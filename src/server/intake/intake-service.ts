/**
 * @module
 * Intake → workflows. An accepted create event becomes (or joins) the workflow of its database; the server's fleet
 * watcher (src/fleet/watcher.ts, the same one `auditlake watch` runs) picks the database up through `discover` once
 * it can be reached, and runs its durable enable → verify → collect workflow with retries, drift and silence checks.
 * Workflow state is the fleet store's; this service adds the intake part of the history.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditlakeError, errorMessage } from '../../core/errors.js';
import type { FleetDatabase } from '../../config/fleet.js';
import type { FleetOutcome, FleetStore } from '../../fleet/state.js';
import type { Principal } from '../auth/principal.js';
import { openIntakeJournal, type JournalEntry } from './intake-journal.js';
import { workflowIdFor, type IntakeEvent } from './parse-create-event.js';

export interface WorkflowView {
  id: string;
  account: string;
  region: string;
  kind: 'rds' | 'redshift';
  resource: string;
  /** Name of the database in the fleet (`rds-<id>` / `redshift-<id>`). */
  database: string;
  step: string;
  createdAt: string;
  eventIds: string[];
  history: { time: string; event: string; ok: boolean; message: string }[];
}

/** What a workflow's database resolves to: a fleet entry to enable, `done` (enabled by API, e.g. Redshift), or not yet. */
export type Resolution = { database: FleetDatabase } | { done: string } | { wait: string };
export type ResolveTarget = (wf: Pick<WorkflowView, 'account' | 'region' | 'kind' | 'resource' | 'database'>) => Promise<Resolution>;

export interface IntakeResult {
  accepted: boolean;
  eventId: string;
  workflowId: string | null;
  ignored: string | null;
}

export interface IntakeService {
  /** Records new events durably (fsync) and returns per event whether it was new; call before answering 202. */
  accept(events: IntakeEvent[], by: Principal): IntakeResult[];
  workflow(id: string): WorkflowView | null;
  list(account: string | null): WorkflowView[];
  /** For the fleet watcher: the databases of workflows that have resolved (others are retried each call). */
  discover(): Promise<FleetDatabase[]>;
  close(): void;
}

interface Wf {
  view: Omit<WorkflowView, 'history' | 'step'>;
  resolved: FleetDatabase | null;
  state: 'resolving' | 'fleet' | 'done';
  /** Last waiting/failure message noted, so a poll that learns nothing new adds no history line. */
  lastNote?: string;
}

export function createIntakeService(o: { stateDir: string; fleet: FleetStore; resolve: ResolveTarget; now?: () => number }): IntakeService {
  const now = o.now ?? Date.now;
  const journal = openIntakeJournal(o.stateDir);
  const historyFile = join(o.stateDir, 'intake', 'history.jsonl');
  const seen = new Set<string>();
  const wfs = new Map<string, Wf>();

  const note = (wfId: string, event: string, ok: boolean, message: string) => {
    appendFileSync(historyFile, JSON.stringify({ wf: wfId, time: new Date(now()).toISOString(), event, ok, message }) + '\n');
  };
  const readLines = <T>(file: string): T[] => {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { return []; }
    return text.split('\n').filter(Boolean).flatMap((l) => { try { return [JSON.parse(l) as T]; } catch { return []; } });
  };

  const add = (e: JournalEntry) => {
    seen.add(e.event.id);
    const id = workflowIdFor(e.event);
    if (!id || !e.event.target) return;
    const existing = wfs.get(id);
    if (existing) {
      existing.view.eventIds.push(e.event.id);
      return;
    }
    const t = e.event.target;
    wfs.set(id, {
      view: { id, account: e.event.account, region: e.event.region, kind: t.kind, resource: t.resource, database: `${t.kind}-${t.resource}`, createdAt: e.acceptedAt, eventIds: [e.event.id] },
      resolved: null, state: 'resolving',
    });
  };
  for (const e of journal.entries()) add(e);
  // workflows that finished resolving before a restart
  for (const h of readLines<{ wf: string; event: string; ok: boolean }>(historyFile)) {
    const w = wfs.get(h.wf);
    if (w && h.event === 'done' && h.ok) w.state = 'done';
  }

  const view = (w: Wf): WorkflowView => {
    const own = readLines<{ wf: string; time: string; event: string; ok: boolean; message: string }>(historyFile).filter((h) => h.wf === w.view.id).map(({ time, event, ok, message }) => ({ time, event, ok, message }));
    const fleet = readLines<FleetOutcome>(o.fleet.outcomesFile).filter((f) => f.database === w.view.database).map(({ time, event, ok, message }) => ({ time, event, ok, message }));
    const history = [{ time: w.view.createdAt, event: 'accepted', ok: true, message: `create event ${w.view.eventIds[0]}` }, ...own, ...fleet].sort((a, b) => a.time.localeCompare(b.time));
    const st = o.fleet.get(w.view.database);
    const step = w.state === 'done' ? 'enabled' : st ? st.step : w.state;
    return { ...w.view, eventIds: [...w.view.eventIds], step, history };
  };

  return {
    accept(events, by) {
      const fresh: JournalEntry[] = [];
      const results = events.map((ev): IntakeResult => {
        if (by.account !== null && ev.account !== by.account) throw new AuditlakeError('E_FORBIDDEN', 'intake: this token may only send events of its own account');
        const workflowId = workflowIdFor(ev);
        const ignored = ev.target ? null : `${ev.eventName} does not create a database`;
        if (seen.has(ev.id) || fresh.some((f) => f.event.id === ev.id)) return { accepted: false, eventId: ev.id, workflowId, ignored };
        fresh.push({ event: ev, acceptedAt: new Date(now()).toISOString(), by: by.id });
        return { accepted: true, eventId: ev.id, workflowId, ignored };
      });
      journal.append(fresh); // durable before the caller answers
      for (const e of fresh) add(e);
      return results;
    },
    workflow(id) {
      const w = wfs.get(id);
      return w ? view(w) : null;
    },
    list(account) {
      return [...wfs.values()].filter((w) => account === null || w.view.account === account).map(view);
    },
    async discover() {
      const out: FleetDatabase[] = [];
      for (const w of wfs.values()) {
        if (w.state === 'done') continue;
        if (w.resolved) {
          out.push(w.resolved);
          continue;
        }
        try {
          const r = await o.resolve(w.view);
          if ('database' in r) {
            w.resolved = { ...r.database, name: w.view.database };
            w.state = 'fleet';
            note(w.view.id, 'resolved', true, `reachable as ${new URL(r.database.url).host}; handed to the fleet workflow`);
            out.push(w.resolved);
          } else if ('done' in r) {
            w.state = 'done';
            note(w.view.id, 'done', true, r.done);
          } else if (w.lastNote !== r.wait) {
            w.lastNote = r.wait;
            note(w.view.id, 'waiting', true, r.wait);
          }
        } catch (err) {
          const msg = errorMessage(err);
          if (w.lastNote !== msg) note(w.view.id, 'resolve', false, msg);
          w.lastNote = msg;
        }
      }
      return out;
    },
    close: () => journal.close(),
  };
}
