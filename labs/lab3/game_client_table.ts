/**
 * The game server's list of clients (Task 3.7), and its rules for senders that
 * misbehave. UDP has no connections: any address can send any datagram at any time,
 * so the server decides who is a client, counts what each one sends per tick, and
 * stops listening to those that flood or go silent.
 *
 * @module
 */
import { formatAddress } from "../../lib/net.ts";

/** Datagrams one client may send in one tick; a held-down arrow key sends about 3. */
export const FLOOD_LIMIT = 20;
/** How long a flooder's address is ignored, in milliseconds. */
export const BAN_MS = 10_000;
/** Clients send a keepalive every 2 s; one silent for this long is gone. */
export const SILENCE_MS = 10_000;

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
  | { verdict: "ignore" } // a banned address
  | { verdict: "flooded"; client: Client } // just went over the limit: disconnect it
  | { verdict: "read"; client: Client | undefined }; // a client, or a stranger

/** The clients of a game server, by address. */
export class ClientTable {
  readonly #clients = new Map<string, Client>();
  readonly #banned = new Map<string, number>(); // address → end of its ban
  readonly #offenders = new Set<string>();

  /** `report` receives the one line written about each offending sender. */
  constructor(readonly report: (line: string) => void) {}

  /** Counts a datagram from `address` against its sender's allowance. */
  arrive(address: Deno.NetAddr, now = Date.now()): Arrival {
    const key = formatAddress(address);
    if ((this.#banned.get(key) ?? 0) > now) return { verdict: "ignore" };
    const client = this.#clients.get(key);
    if (!client) return { verdict: "read", client };
    client.lastHeard = now;
    if (++client.datagrams <= FLOOD_LIMIT) return { verdict: "read", client };
    this.#banned.set(key, now + BAN_MS);
    this.#clients.delete(key);
    return { verdict: "flooded", client };
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

  /** Prints one line for an offending sender the first time only, however often it offends. */
  offence(address: Deno.NetAddr, problem: string): void {
    const key = formatAddress(address);
    if (this.#offenders.has(key)) return;
    this.#offenders.add(key);
    this.report(`${key}: ${problem}; dropping its bad datagrams (logged once)`);
  }

  /** Starts a tick: resets every count and removes (and returns) the silent clients. */
  startTick(now = Date.now()): Client[] {
    const silent = [...this.#clients.values()].filter((c) => now - c.lastHeard > SILENCE_MS);
    silent.forEach((client) => this.delete(client));
    for (const client of this.#clients.values()) client.datagrams = 0;
    return silent;
  }

  /** The current clients. */
  [Symbol.iterator](): IterableIterator<Client> {
    return this.#clients.values();
  }
}
