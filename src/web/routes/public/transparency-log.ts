import { isLetterName } from "../../../domain/tlog/entries.ts";
import { parseTilePath, TILE_WIDTH } from "../../../domain/tlog/tiles.ts";
import { withCosignatures } from "../../../domain/tlog/witness.ts";
import { listPublishedNames } from "../../../queries/list-log-names.ts";
import { cosignaturesFor } from "../../../store/log-witnesses.ts";
import { readLogState, readTile } from "../../../store/transparency-log.ts";
import type { RouteModule } from "../../app-deps.ts";
import { readableFromAnyOrigin } from "../../http/public-caching.ts";

/*
 * The transparency log as C2SP tlog-tiles under /log/: static-looking resources any verifier, monitor or
 * witness can fetch (and any origin may read). The checkpoint changes with every append, so it is cached
 * for a moment only; a tile or bundle of a given width never changes, so it is cached forever.
 */

const IMMUTABLE = "public, max-age=31536000, immutable";

export const transparencyLogRoutes: RouteModule = async (app, { store, config }) => {
  const witnessKeys = config.witnesses.map((w) => w.vkey);

  app.get("/log/checkpoint", async (_request, reply) => {
    readableFromAnyOrigin(reply);
    const state = await readLogState(store.db);
    if (!state) return reply.code(404).type("text/plain; charset=utf-8").send("no log yet\n");
    // The witnesses that cosigned this very tree; one still on its way adds its line a few seconds later.
    const cosignatures = await cosignaturesFor(store.db, state.size, witnessKeys);
    return reply
      .header("cache-control", "public, max-age=2")
      .type("text/plain; charset=utf-8")
      .send(withCosignatures(state.checkpoint, cosignatures));
  });

  app.get("/log/key", async (_request, reply) => {
    readableFromAnyOrigin(reply);
    const state = await readLogState(store.db);
    if (!state) return reply.code(404).type("text/plain; charset=utf-8").send("no log yet\n");
    return reply
      .header("cache-control", "public, max-age=300")
      .type("text/plain; charset=utf-8")
      .send(`${state.verifier_key}\n`);
  });

  app.get<{ Params: { "*": string } }>("/log/tile/*", async (request, reply) => {
    readableFromAnyOrigin(reply);
    const tile = parseTilePath(request.params["*"]);
    const bytes = tile ? await readTile(store.db, tile) : null;
    if (!tile || !bytes) return reply.code(404).type("text/plain; charset=utf-8").send("no such tile\n");
    reply.header("cache-control", tile.width === TILE_WIDTH ? IMMUTABLE : "public, max-age=31536000");
    return reply.type("application/octet-stream").send(Buffer.from(bytes));
  });

  // Listed endorsements' names and salts, beside the log rather than in its immutable tiles: withdrawing
  // removes the name here, leaving only an unlinkable commitment in the log.
  app.get<{ Params: { name: string } }>("/log/letters/:name/names", async (request, reply) => {
    readableFromAnyOrigin(reply);
    const { name } = request.params;
    if (!isLetterName(name)) return reply.code(404).send({ error: "not_found" });
    reply.header("cache-control", "public, max-age=10");
    return { letter: name, names: await listPublishedNames(store.db, name) };
  });
};
