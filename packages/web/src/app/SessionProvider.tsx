/** Who is signed in: GET /api/session on start; any 401 later (expired session) signs the user out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated } from '../api/client.ts';
import { session } from '../api/endpoints.ts';
import type { SessionUser } from '../api/types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'error'; error: unknown }
  | { status: 'signed-in'; user: SessionUser };

interface SessionValue {
  state: SessionState;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  retry: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    session.current().then(
      ({ user }) => {
        if (live) setState({ status: 'signed-in', user });
      },
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'anonymous', expired: false });
        else setState({ status: 'error', error });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setState((s) => (s.status === 'signed-in' ? { status: 'anonymous', expired: true } : s));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const { user } = await session.login(username, password);
    setState({ status: 'signed-in', user });
    return user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await session.logout();
    } finally {
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, login, logout, retry }), [state, login, logout, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for components under the app shell, which renders signed-in only. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a signed-in user');
  return state.user;
}
