import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { ApiClient, ApiError } from '../api/client';
import type { Me } from '../api/types';

/**
 * The signed-in key lives in sessionStorage: it survives a reload of this tab, is gone when the tab
 * closes, is never shared with other tabs, and is never put in a URL.
 */
const KEY_STORAGE = 'refundhub.console.apiKey';

export type SignOutReason = 'signed_out' | 'expired';

export interface Session {
  api: ApiClient | null;
  me: Me | null;
  /** The key, masked, for the header: never the key itself. */
  maskedKey: string | null;
  signedOutBecause: SignOutReason | null;
  signIn(apiKey: string): Promise<void>;
  signOut(reason?: SignOutReason): void;
  isOperator: boolean;
}

const SessionContext = createContext<Session | null>(null);

export function maskKey(key: string): string {
  return key.length <= 8 ? '••••' : `${key.slice(0, 3)}••••${key.slice(-2)}`;
}

function readStored(): { key: string; me: Me } | null {
  try {
    const text = sessionStorage.getItem(KEY_STORAGE);
    return text ? (JSON.parse(text) as { key: string; me: Me }) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ key: string; me: Me } | null>(readStored);
  const [signedOutBecause, setSignedOutBecause] = useState<SignOutReason | null>(null);

  const signOut = useCallback((reason: SignOutReason = 'signed_out') => {
    sessionStorage.removeItem(KEY_STORAGE);
    setState(null);
    setSignedOutBecause(reason);
  }, []);

  const api = useMemo(() => (state ? new ApiClient(state.key, () => signOut('expired')) : null), [state, signOut]);

  const signIn = useCallback(async (key: string) => {
    // Not through `api`: a wrong key here is an answer to the form, not an ended session.
    const me = await new ApiClient(key).me();
    sessionStorage.setItem(KEY_STORAGE, JSON.stringify({ key, me }));
    setSignedOutBecause(null);
    setState({ key, me });
  }, []);

  const value = useMemo<Session>(
    () => ({
      api,
      me: state?.me ?? null,
      maskedKey: state ? maskKey(state.key) : null,
      signedOutBecause,
      signIn,
      signOut,
      isOperator: state?.me.scopes.includes('operator') ?? false,
    }),
    [api, state, signedOutBecause, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const found = useContext(SessionContext);
  if (!found) throw new Error('useSession needs a SessionProvider');
  return found;
}

/** The API client of a signed-in page (the router shows such pages only with a session). */
export function useApi(): ApiClient {
  const { api } = useSession();
  if (!api) throw new ApiError(401, 'MISSING_API_KEY', 'not signed in');
  return api;
}
