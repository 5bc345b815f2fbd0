import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, setToken } from './api.ts';
import type { User } from './types.ts';

interface LoginResponse {
  token: string;
  user: User;
}

export interface Auth {
  user: User | null;
  /** True until the stored token has been checked with GET /auth/me. */
  checking: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  /** Forget the session locally (after a 401). */
  clear: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);

  useEffect(() => {
    if (!getToken()) return;
    const controller = new AbortController();
    api<User | { user: User }>('/auth/me', { quiet: true, signal: controller.signal })
      .then((me) => setUser('user' in me && me.user ? me.user : (me as User)))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setToken(null);
      })
      .finally(() => {
        if (!controller.signal.aborted) setChecking(false);
      });
    return () => controller.abort();
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const result = await api<LoginResponse>('/auth/login', { method: 'POST', body: { username, password }, quiet: true });
    setToken(result.token);
    setUser(result.user);
    return result.user;
  }, []);

  const clear = useCallback(() => {
    setToken(null);
    setUser(null);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', quiet: true });
    } catch {
      // the session may already be gone: forget it locally either way
    }
    clear();
  }, [clear]);

  const value = useMemo<Auth>(() => ({ user, checking, login, logout, clear }), [user, checking, login, logout, clear]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}
