import { Mutex } from "async-mutex";

/**
 * One turn at a time per user: a lock per user id, made when a turn arrives and dropped
 * when nobody holds or waits for it, so idle users cost no memory.
 */
export const createUserLocks = () => {
  const locks = new Map<string, { mutex: Mutex; users: number }>();
  return async <T>(userId: string, fn: () => Promise<T>): Promise<T> => {
    const entry = locks.get(userId) ?? { mutex: new Mutex(), users: 0 };
    entry.users++;
    locks.set(userId, entry);
    try {
      return await entry.mutex.runExclusive(fn);
    } finally {
      if (--entry.users === 0) locks.delete(userId);
    }
  };
};
