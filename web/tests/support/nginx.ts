/**
 * The nginx configuration of docs/deploy.md, run as written (only the
 * addresses changed) by Debian's nginx in front of cluster nodes, on a free
 * port of loopback with a throw-away prefix folder.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DEPLOY_MD = resolve(here, '../../../docs/deploy.md');

export interface Nginx {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** SIGTERM, wait for the exit, remove the folder. */
  stop(): Promise<void>;
}

/** The ```nginx block of docs/deploy.md. */
export function documentedConfig(): string {
  const match = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DEPLOY_MD, 'utf8'));
  if (!match?.[1]) throw new Error('docs/deploy.md has no ```nginx block');
  return match[1];
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function listening(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx is not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * docs/deploy.md's site in front of the two nodes at `hosts` (`host:port`).
 * `http` is more of the `http {}` block, in front of the documented site
 * (what a test adds to see where requests went, say).
 */
export async function startNginx(hosts: [string, string], http = ''): Promise<Nginx> {
  const [a, b] = hosts;
  const port = await freePort();
  const site = documentedConfig()
    .replace('server 127.0.0.1:3001;', `server ${a};`)
    .replace('server 127.0.0.1:3002;', `server ${b};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  if (!site.includes(`server ${a};`) || !site.includes(`server ${b};`) || !site.includes(`listen 127.0.0.1:${port};`)) {
    throw new Error('the documented nginx block no longer has the addresses the tests replace');
  }
  const dir = mkdtempSync(join(tmpdir(), 'moim-nginx-'));
  // nginx's workers run as nobody and write their temp files here.
  chmodSync(dir, 0o777);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n${temp}\n${http}\n${site}\n}\n`,
  );
  const nginx = spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<void>((r) => nginx.once('exit', () => r()));
  nginx.once('exit', (code) => {
    if (code) console.error(`nginx exited with ${code}: ${errors}`);
  });
  await listening(port);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
