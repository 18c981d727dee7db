import { EventEmitter } from "node:events";

/** A decided approval: published once per decision, whatever surface decided (rule 7). */
export interface ApprovalDecidedEvent {
  approvalId: string;
  subjectType: "expense";
  subjectId: string;
  subjectRef: string;
  requesterId: string;
  decision: "approve" | "reject" | "cancel";
  /** The request's status after this decision (pending while more levels remain). */
  subjectStatus: "pending" | "approved" | "rejected" | "cancelled";
  decidedBy: string;
  decidedByName: string;
  decidedAt: string;
  decidedVia: "slack" | "wecom" | "api" | "console";
  reason: string | null;
  /** The next approver when the chain moves on. */
  nextApproverId: string | null;
}

export interface AppEvents {
  "approval.decided": ApprovalDecidedEvent;
  /** A new approval is waiting for someone (a new request, or the chain moved on). */
  "approval.requested": { approvalId: string; approverId: string; subjectRef: string; subjectId: string };
}

export interface EventBus {
  publish<K extends keyof AppEvents>(name: K, event: AppEvents[K]): void;
  subscribe<K extends keyof AppEvents>(
    name: K,
    handler: (event: AppEvents[K]) => void | Promise<void>,
  ): () => void;
}

/**
 * In-process publish/subscribe. Handlers run after the publisher's transaction committed;
 * a failing handler is reported through `onError` and never breaks the publisher.
 */
export const createEventBus = (onError: (err: unknown, name: string) => void = () => {}): EventBus => {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(50);
  return {
    publish: (name, event) => {
      emitter.emit(name, event);
    },
    subscribe: (name, handler) => {
      const wrapped = (event: AppEvents[typeof name]) => {
        try {
          const r = handler(event);
          if (r instanceof Promise) r.catch((e) => onError(e, name));
        } catch (e) {
          onError(e, name);
        }
      };
      emitter.on(name, wrapped);
      return () => emitter.off(name, wrapped);
    },
  };
};
