// idp.mjs: a real OpenID Provider (oidc-provider 9) on loopback, for the
// device flow tests. See README.md beside this file.
//
// Copyright 2026 The QR Sign-In developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
//   node idp.mjs [--port=N] [--interval=SECONDS|none] [--device-ttl=SECONDS]
//                [--enforce-interval]
//
// Prints one line, the issuer URL, on stdout once it listens; logs go to
// stderr. It exits when stdin reaches end of file (so it never outlives the
// test that started it), and on SIGTERM or SIGINT.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';

import Provider from 'oidc-provider';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
// RFC 8628 §3.2 and §3.5: the interval a client assumes when none is sent,
// and what each slow_down adds to it.
const DEFAULT_INTERVAL = 5;
const SLOW_DOWN_STEP = 5;
// A poll this much early still counts as on time: timers round.
const EARLY_TOLERANCE_MS = 50;

// The same names and secrets are in qrs-test-idp.h. The secrets hold the
// characters that RFC 6749 §2.3.1 makes a client form-encode before Basic
// (':' '+' '%' ' ' '/'), and the post one those that need it in a body.
const CLIENTS = [
  {
    client_id: 'qrs-public',
    token_endpoint_auth_method: 'none',
  },
  {
    client_id: 'qrs-basic',
    client_secret: 'b4sic: s3cret+with%25/odd chars',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'qrs-post',
    client_secret: 'p0st&secret=+% too',
    token_endpoint_auth_method: 'client_secret_post',
  },
].map((client) => ({
  grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
  response_types: [],
  redirect_uris: [],
  ...client,
}));

// Login with any of these names on the dev login form (any password).
// Alice's picture is served by this IdP (GET /avatars/alice.png).
const ACCOUNTS = {
  alice: {
    name: 'Alice Example',
    preferred_username: 'alice',
    picture: '/avatars/alice.png',
  },
  // Someone with only a name: no username, no picture.
  bob: {
    name: 'Bob Example',
  },
};

// A 64×64 PNG of one colour, so the avatar a client downloads is a real image.
function solidPng(size, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) {
      c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([r, g, b]))]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(size).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const AVATAR = solidPng(64, [0x35, 0x84, 0xe4]);

function usage(message) {
  process.stderr.write(`idp: ${message}\n`);
  process.stderr.write('usage: node idp.mjs [--port=N] [--interval=SECONDS|none] '
    + '[--device-ttl=SECONDS] [--enforce-interval]\n');
  process.exit(2);
}

function parseWhole(name, text, allowNone) {
  if (allowNone && text === 'none') {
    return null;
  }
  if (!/^[0-9]+$/.test(text)) {
    usage(`--${name} wants a whole number${allowNone ? ' or "none"' : ''}`);
  }
  return Number(text);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      interval: { type: 'string', default: String(DEFAULT_INTERVAL) },
      'device-ttl': { type: 'string', default: '600' },
      'enforce-interval': { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  usage(error.message);
}

const port = parseWhole('port', args.port, false);
const enforceInterval = args['enforce-interval'];
const initialDeviceTtl = parseWhole('device-ttl', args['device-ttl'], false);
// null: no "interval" member at all, as oidc-provider 9 does on its own.
const initialInterval = parseWhole('interval', args.interval, true);
if (initialDeviceTtl === 0) {
  usage('--device-ttl must be at least 1');
}
let deviceTtl = initialDeviceTtl;
let interval = initialInterval;

const started = performance.now();
const log = (message) => process.stderr.write(
  `idp[${process.pid}] ${((performance.now() - started) / 1000).toFixed(3)} ${message}\n`,
);

// Test controls, changed over HTTP under /__test/.
let slowDownsQueued = 0;
let polls = 0;
// device_code → { interval: seconds, last: ms of its last poll }
const pollState = new Map();

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: CLIENTS,
  async findAccount(ctx, sub) {
    const claims = ACCOUNTS[sub];
    if (!claims) {
      return undefined;
    }
    return {
      accountId: sub,
      async claims() {
        const picture = claims.picture && new URL(claims.picture, issuer).href;
        return { sub, ...claims, ...(picture && { picture }) };
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'picture'],
  },
  scopes: ['openid', 'profile', 'offline_access'],
  // The profile claims in the ID token itself, not only from userinfo: the
  // client reads the person's name and picture from it.
  conformIdTokenClaims: false,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    deviceFlow: { enabled: true },
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  ttl: {
    DeviceCode: () => deviceTtl,
  },
  // The default already says so; spelled out because the tests depend on it.
  async issueRefreshToken(ctx, client, code) {
    return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
  },
});

// oidc-provider 9 sends no "interval": add it (RFC 8628 §3.2). The body is
// not yet serialized when this event fires.
provider.on('device_authorization.success', (ctx, body) => {
  if (interval !== null) {
    body.interval = interval;
  }
  pollState.set(body.device_code, { interval: interval ?? DEFAULT_INTERVAL, last: null });
});

provider.on('server_error', (ctx, error) => log(`server_error: ${error.stack}`));

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function oauthError(ctx, status, error, description) {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

// Which client the request names, and how it authenticated (RFC 6749 §2.3.1).
function clientAuthentication(ctx, form) {
  const header = ctx.get('authorization');
  if (header) {
    const match = /^basic ([A-Za-z0-9+/=]+)$/i.exec(header);
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    let clientId = null;
    try {
      clientId = colon > 0 ? decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, '%20')) : null;
    } catch {
      // Left to oidc-provider, which answers invalid_request.
    }
    return { clientId, method: 'client_secret_basic' };
  }
  return {
    clientId: form.get('client_id'),
    method: form.has('client_secret') ? 'client_secret_post' : 'none',
  };
}

// oidc-provider accepts either way of sending a secret from a client
// registered for one of them. Real servers may not: refuse the other, so a
// test proves that the client uses the method it was configured with.
function refuseOtherAuthMethod(ctx, form) {
  const { clientId, method } = clientAuthentication(ctx, form);
  const client = CLIENTS.find((c) => c.client_id === clientId);
  if (client && client.token_endpoint_auth_method !== method
      && method !== 'none') {
    oauthError(ctx, 401, 'invalid_client',
      `client ${clientId} is registered for ${client.token_endpoint_auth_method}, not ${method}`);
    return true;
  }
  return false;
}

// RFC 8628 §3.5: slow_down, on demand (POST /__test/slow-down) or when a
// device code is polled before its interval has passed (--enforce-interval).
// Either way that code's interval grows by 5 s, as the client's must.
function slowDown(ctx, form) {
  const state = pollState.get(form.get('device_code'));
  const now = performance.now();
  let reason = null;

  if (slowDownsQueued > 0) {
    slowDownsQueued -= 1;
    reason = 'asked for by the test';
  } else if (enforceInterval && state && state.last !== null
             && now - state.last < state.interval * 1000 - EARLY_TOLERANCE_MS) {
    reason = `polled after ${Math.round(now - state.last)} ms, interval ${state.interval} s`;
  }

  if (state) {
    state.last = now;
  }
  if (reason === null) {
    return false;
  }
  if (state) {
    state.interval += SLOW_DOWN_STEP;
  }
  log(`slow_down: ${reason}`);
  oauthError(ctx, 400, 'slow_down', 'you are polling too quickly and should back off');
  return true;
}

async function testControl(ctx) {
  const { method, path, query } = ctx;
  if (method === 'POST' && path === '/__test/slow-down') {
    const count = /^[0-9]+$/.test(query.count ?? '1') ? Number(query.count ?? '1') : NaN;
    if (Number.isNaN(count)) {
      ctx.throw(400, 'count must be a whole number');
    }
    slowDownsQueued = count;
  } else if (method === 'POST' && path === '/__test/interval') {
    const text = query.seconds ?? '';
    if (text !== 'none' && !/^[0-9]+$/.test(text)) {
      ctx.throw(400, 'seconds must be a whole number or "none"');
    }
    interval = text === 'none' ? null : Number(text);
  } else if (method === 'POST' && path === '/__test/device-ttl') {
    const text = query.seconds ?? '';
    if (!/^[0-9]+$/.test(text) || Number(text) === 0) {
      ctx.throw(400, 'seconds must be a whole number above 0');
    }
    deviceTtl = Number(text);
  } else if (method === 'POST' && path === '/__test/reset') {
    interval = initialInterval;
    deviceTtl = initialDeviceTtl;
    slowDownsQueued = 0;
    polls = 0;
  } else if (method === 'GET' && path === '/__test/polls') {
    ctx.type = 'text/plain';
    ctx.body = `${polls}\n`;
    return;
  } else {
    ctx.throw(404, 'no such test control');
  }
  ctx.status = 204;
}

provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === '/avatars/alice.png') {
    ctx.type = 'image/png';
    ctx.body = AVATAR;
    return;
  }

  if (ctx.path.startsWith('/__test/')) {
    await testControl(ctx);
    log(`${ctx.method} ${ctx.path} ${ctx.status}`);
    return;
  }

  const guarded = ctx.method === 'POST'
    && (ctx.path === '/token' || ctx.path === '/device/auth')
    && ctx.is('application/x-www-form-urlencoded');

  if (guarded) {
    // Read the body here to look at it; oidc-provider then takes the same
    // bytes from ctx.request.body instead of the spent stream.
    const raw = await readBody(ctx.req);
    ctx.request.body = raw;
    const form = new URLSearchParams(raw.toString('utf8'));

    if (refuseOtherAuthMethod(ctx, form)) {
      log(`${ctx.method} ${ctx.path} ${ctx.status} ${ctx.body.error}`);
      return;
    }
    if (ctx.path === '/token' && form.get('grant_type') === DEVICE_CODE_GRANT) {
      polls += 1;
      if (slowDown(ctx, form)) {
        return;
      }
    }
  }

  await next();
  const error = ctx.status >= 400 && ctx.body?.error ? ` ${ctx.body.error}` : '';
  log(`${ctx.method} ${ctx.path} ${ctx.status}${error}`);
});

server.on('request', provider.callback());

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();

log(`listening on ${issuer}: interval ${interval ?? 'none'}, device code ttl ${deviceTtl} s`
  + `${enforceInterval ? ', interval enforced' : ''}`);
process.stdout.write(`${issuer}\n`);
