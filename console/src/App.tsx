import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiClient, ApiError, type WhoAmI } from "./api.js";
import { Analytics } from "./Analytics.js";
import { Assist } from "./Assist.js";
import { Curated } from "./Curated.js";
import { LanguagePicker, useI18n } from "./i18n.js";
import { DocumentView } from "./DocumentView.js";
import { Library } from "./Library.js";
import { Playground } from "./Playground.js";
import { hrefFor, useRoute, type Route } from "./route.js";
import { chooseNoKey, noKeyChosen, storedKey, storeKey } from "./session.js";
import { useConversation } from "./conversation.js";

type Session = { state: "checking" } | { state: "signed-out"; error?: string } | { state: "ready"; client: ApiClient; me: WhoAmI };

const can = (me: WhoAmI, scope: string): boolean => me.scopes.includes(scope) || me.scopes.includes("admin");

/** Signs in with the stored key (or none, for a server without keys) and shows the screens the key may use. */
export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session>({ state: "checking" });
  const signIn = useCallback(async (key: string | undefined, typed: boolean) => {
    const client = new ApiClient(key);
    try {
      const me = await client.whoami();
      storeKey(key);
      if (key === undefined) chooseNoKey(true);
      setSession({ state: "ready", client, me });
    } catch (err) {
      storeKey(undefined);
      chooseNoKey(false);
      const why = err instanceof ApiError ? err.detail : String(err);
      setSession({ state: "signed-out", ...(typed || key ? { error: why } : {}) });
    }
  }, []);
  // No key stored yet: show the key form without asking the server (an unauthenticated /whoami is a 401 in the
  // browser's console on every load). A server without keys is entered with "Continue without a key".
  useEffect(() => {
    const key = storedKey();
    if (key !== undefined || noKeyChosen()) void signIn(key, false);
    else setSession({ state: "signed-out" });
  }, [signIn]);

  if (session.state === "checking") return <p className="loading" role="status">{t("loading")}</p>;
  if (session.state === "signed-out") return <KeyForm error={session.error} onSubmit={(key) => void signIn(key, true)} onNoKey={() => void signIn(undefined, true)} />;
  const signOut = (): void => {
    storeKey(undefined);
    chooseNoKey(false);
    setSession({ state: "signed-out" });
  };
  return <Shell client={session.client} me={session.me} onSignOut={signOut} />;
}

function KeyForm({ error, onSubmit, onNoKey }: { error: string | undefined; onSubmit: (key: string) => void; onNoKey: () => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState("");
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (key.trim()) onSubmit(key.trim());
  };
  return (
    <main className="signin">
      <h1>{t("consoleTitle")}</h1>
      <LanguagePicker />
      <form onSubmit={submit} aria-describedby="key-help">
        <label htmlFor="api-key">{t("apiKey")}</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus required />
        <p id="key-help" className="muted">{t("keyHelp")}</p>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <div className="row">
          <button type="submit">{t("signIn")}</button>
          <button type="button" className="secondary" onClick={onNoKey}>{t("noKey")}</button>
        </div>
      </form>
    </main>
  );
}

function Shell({ client, me, onSignOut }: { client: ApiClient; me: WhoAmI; onSignOut: () => void }) {
  const { t } = useI18n();
  const route = useRoute();
  const conversation = useConversation();
  const screens: Array<{ route: Route; label: string }> = [
    ...(can(me, "ingest") ? [{ route: { screen: "library" } as Route, label: t("library") }] : []),
    ...(can(me, "answer") ? [{ route: { screen: "playground" } as Route, label: t("playground") }] : []),
    ...(can(me, "assist") && me.assist ? [{ route: { screen: "assist" } as Route, label: t("assist") }] : []),
    ...(can(me, "admin") && me.assist ? [{ route: { screen: "analytics" } as Route, label: t("analytics") }] : []),
    ...(can(me, "ingest") || can(me, "curate") ? [{ route: { screen: "curated" } as Route, label: t("curated") }] : []),
  ];
  const allowed = (r: Route): boolean =>
    r.screen === "playground" ? can(me, "answer")
      : r.screen === "assist" ? can(me, "assist") && me.assist
      : r.screen === "analytics" ? can(me, "admin") && me.assist
      : r.screen === "curated" ? can(me, "ingest") || can(me, "curate")
      : can(me, "ingest");
  const current = route && allowed(route) ? route : screens[0]?.route;
  const heading = useRef<HTMLDivElement>(null);
  // Moving between screens moves focus to the new screen's heading (screen readers announce it).
  useEffect(() => heading.current?.querySelector("h1")?.focus(), [current?.screen]);
  return (
    <>
      <a className="skip" href="#main">{t("skip")}</a>
      <header className="top">
        <span className="brand">Groundline</span>
        <nav aria-label={t("screens")}>
          <ul>
            {screens.map((s) => (
              <li key={s.label}>
                <a href={hrefFor(s.route)} aria-current={current?.screen === s.route.screen ? "page" : undefined}>{s.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {t("keyInfo", { name: me.name })} · {me.collections ? t("collectionsOf", { list: me.collections.join(", ") }) : t("allCollections")}
        </span>
        <LanguagePicker />
        <button type="button" className="secondary" onClick={onSignOut}>{t("forgetKey")}</button>
      </header>
      <main id="main" ref={heading}>
        {!current ? <p>{t("noScreen")}</p> : null}
        {current?.screen === "library" ? <Library client={client} me={me} /> : null}
        {current?.screen === "document" ? <DocumentView client={client} collection={current.collection} id={current.id} {...(current.chunk !== undefined ? { chunk: current.chunk } : {})} /> : null}
        {current?.screen === "playground" ? <Playground client={client} me={me} conversation={conversation} /> : null}
        {current?.screen === "assist" ? <Assist client={client} /> : null}
        {current?.screen === "analytics" ? <Analytics client={client} me={me} canCurate={can(me, "curate")} /> : null}
        {current?.screen === "curated" ? <Curated client={client} me={me} canWrite={can(me, "curate")} /> : null}
      </main>
    </>
  );
}
