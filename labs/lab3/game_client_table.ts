/**
 * The game server's list of clients (Task 3.7), and its rules for senders that
 * misbehave. UDP has no connections: any address can send any datagram at any time,
 * and forge the address it comes from. So the server decides who is a client (only an
 * address that sent back the cookie it was given), counts what each one sends per tick,
 * and stops listening to those that flood or go silent. Everything it remembers about
 * strangers expires and is capped, so that no sender can make the tables grow for ever.
 *
 * @module
 */
import { createHmac, randomBytes } from "node:crypto";
import { formatAddress } from "../../lib/net.ts";
import { COOKIE_SIZE } from "./game_wire.ts";

/** Datagrams one client may send in one tick; a held-down arrow key sends about 3. */
export const FLOOD_LIMIT = 20;
/** How long a flooder's address is ignored, in milliseconds. */
export const BAN_MS = 10_000;
/** Clients send a keepalive every 2 s; one silent for this long is gone. */
export const SILENCE_MS = 10_000;
/** Clients at most, players and spectators together. */
export const MAX_CLIENTS = 50;
/** Banned or logged addresses remembered at most; past it, the oldest are forgotten. */
export const MAX_REMEMBERED = 10_000;
/** How long an offending address stays logged (one line per address in this time). */
export const OFFENCE_MS = 60_000;

/** One client the server sends ticks to. */
export interface Client {
  /** Its address as text (`127.0.0.1:5555`), the key of the table. */
  key: string;
  address: Deno.NetAddr;
  /** Its player id, or 15 for a spectator. */
  player: number;
  /** Datagrams received from it during the current tick. */
  datagrams: number;
  /** When it was last heard from (`Date.now()`). */
  lastHeard: number;
}

/** What to do with a datagram, judged by its sender alone. */
export type Arrival =
  | { verdict: "ignore" } // a banned address, or port 0 (nothing can answer it)
  | { verdict: "flooded"; client: Client } // just went over the limit: disconnect it
  | { verdict: "read"; client: Client | undefined }; // a client, or a stranger

/** The clients of a game server, by address. */
export class ClientTable {
  readonly #clients = new Map<string, Client>();
  readonly #banned = new Map<string, number>(); // address → end of its ban, oldest first
  readonly #offenders = new Map<string, number>(); // address → when its line was written
  readonly #secret = randomBytes(16); // new for each server: cookies cannot be guessed

  /** `report` receives the one line written about each offending sender. */
  constructor(readonly report: (line: string) => void) {}

  /** Counts a datagram from `address` against its sender's allowance. */
  arrive(address: Deno.NetAddr, now = Date.now()): Arrival {
    const key = formatAddress(address);
    if (address.port === 0 || (this.#banned.get(key) ?? 0) > now) return { verdict: "ignore" };
    const client = this.#clients.get(key);
    if (!client) return { verdict: "read", client };
    client.lastHeard = now;
    if (++client.datagrams <= FLOOD_LIMIT) return { verdict: "read", client };
    remember(this.#banned, key, now + BAN_MS);
    this.#clients.delete(key);
    return { verdict: "flooded", client };
  }

  /** The cookie of `address`: a keyed hash, so the server keeps nothing per stranger. */
  cookie(address: Deno.NetAddr): Uint8Array {
    const hash = createHmac("sha256", this.#secret).update(formatAddress(address)).digest();
    return new Uint8Array(hash.subarray(0, COOKIE_SIZE));
  }

  /** Whether `cookie` is the one `address` was given. */
  hasCookie(address: Deno.NetAddr, cookie: Uint8Array | undefined): boolean {
    const expected = this.cookie(address);
    return cookie?.length === expected.length && cookie.every((byte, i) => byte === expected[i]);
  }

  /** Whether no one else can join (players and spectators together). */
  get full(): boolean {
    return this.#clients.size >= MAX_CLIENTS;
  }

  /** Makes `address` a client playing as `player` (or spectating). */
  add(address: Deno.NetAddr, player: number): Client {
    const client = {
      key: formatAddress(address),
      address,
      player,
      datagrams: 1,
      lastHeard: Date.now(),
    };
    this.#clients.set(client.key, client);
    return client;
  }

  /** Forgets a client. */
  delete(client: Client): void {
    this.#clients.delete(client.key);
  }

  /** Prints one line for an offending sender, once per {@linkcode OFFENCE_MS} at most. */
  offence(address: Deno.NetAddr, problem: string, now = Date.now()): void {
    const key = formatAddress(address);
    if (this.#offenders.has(key)) return;
    remember(this.#offenders, key, now);
    this.report(`${key}: ${problem}; dropping its bad datagrams (logged once a minute at most)`);
  }

  /**
   * Starts a tick: resets every count, forgets ended bans and old offences, and removes
   * (and returns) the silent clients.
   */
  startTick(now = Date.now()): Client[] {
    forgetUntil(this.#banned, (end) => end > now);
    forgetUntil(this.#offenders, (logged) => now - logged < OFFENCE_MS);
    const silent = [...this.#clients.values()].filter((c) => now - c.lastHeard > SILENCE_MS);
    silent.forEach((client) => this.delete(client));
    for (const client of this.#clients.values()) client.datagrams = 0;
    return silent;
  }

  /** How many addresses are banned or logged: bounded by {@linkcode MAX_REMEMBERED} each. */
  get remembered(): { banned: number; offenders: number } {
    return { banned: this.#banned.size, offenders: this.#offenders.size };
  }

  /** The current clients. */
  [Symbol.iterator](): IterableIterator<Client> {
    return this.#clients.values();
  }
}

/** Adds `key` as the newest entry, forgetting the oldest when the map is full. */
function remember(map: Map<string, number>, key: string, value: number): void {
  map.delete(key);
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** Deletes entries oldest first until one is `kept` (entries are added in time order). */
function forgetUntil(map: Map<string, number>, kept: (value: number) => boolean): void {
  for (const [key, value] of map) {
    if (kept(value)) return;
    map.delete(key);
  }
}
