// TEMP diagnostic (not committed): where does a late SFU joiner's time go?
import { launchChromium, startMoim } from './lib/moim.mjs';
const server = await startMoim(['--media-port', '0', ...(process.env.MOIM_ARGS ?? '').split(' ').filter(Boolean)]);
const browser = await launchChromium();
const hook = () => {
  window.__log = [];
  const t0 = () => performance.now();
  const log = (what) => window.__log.push([Math.round(t0()), what]);
  window.__mark = log;
  const Orig = window.RTCPeerConnection;
  let n = 0;
  window.RTCPeerConnection = function (config) {
    const pc = new Orig(config);
    const tag = config && config.rtcpMuxPolicy === 'require' ? 'SFU' : `mesh${n++}`;
    log(`${tag} created`);
    const sld = pc.setLocalDescription.bind(pc);
    pc.setLocalDescription = async (d) => { const r = await sld(d); log(`${tag} setLocal ${pc.localDescription?.type}`); return r; };
    const co = pc.createOffer.bind(pc);
    pc.createOffer = async (o) => { log(`${tag} createOffer start`); const r = await co(o); log(`${tag} createOffer done`); return r; };
    const ca = pc.createAnswer.bind(pc);
    pc.createAnswer = async (o) => { log(`${tag} createAnswer start`); const r = await ca(o); log(`${tag} createAnswer done`); return r; };
    const srd = pc.setRemoteDescription.bind(pc);
    pc.setRemoteDescription = async (d) => { if (tag === 'SFU' && d.type === 'offer') window.__sdp = d.sdp; log(`${tag} setRemote ${d.type} start ${d.sdp.length}B ${(d.sdp.match(/^m=/gm)||[]).length}m`); const r = await srd(d); log(`${tag} setRemote ${d.type} done`); return r; };
    pc.addEventListener('connectionstatechange', () => log(`${tag} ${pc.connectionState}`));
    pc.addEventListener('track', (e) => log(`${tag} track ${e.track.kind}`));
    return pc;
  };
  window.RTCPeerConnection.prototype = Orig.prototype;
  const ac = MediaStreamTrack.prototype.applyConstraints;
  MediaStreamTrack.prototype.applyConstraints = async function (c) { log(`applyConstraints ${this.kind} start`); const r = await ac.call(this, c); log(`applyConstraints done ${this.getSettings().height}`); return r; };
  const watch = () => {
    for (const v of document.querySelectorAll('[data-testid="remote-video"]')) {
      if (v.__w) continue; v.__w = true;
      log('tile'); v.requestVideoFrameCallback(() => log('first frame'));
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__log.push([Math.round(e.startTime), `longtask ${Math.round(e.duration)}ms`]); }).observe({ type: 'longtask', buffered: true });
};
async function ready(room, name) {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(hook);
  await page.goto(`${server.url}/r/${room}`);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('local-video').waitFor();
  await page.evaluate(() => document.querySelector('[data-testid="enter-button"]').addEventListener('click', () => window.__mark('CLICK'), { capture: true }));
  return page;
}
const frames = (page, n) => page.waitForFunction((n) => window.__log.filter((l) => l[1] === 'first frame').length >= n, n, { timeout: 60000 });
const room = 'diag';
const pages = [];
for (const name of ['A', 'B', 'C', 'D', 'E']) {
  const p = await ready(room, name);
  await p.getByTestId('enter-button').click();
  await frames(p, pages.length);
  pages.push(p);
}
await new Promise((r) => setTimeout(r, 1500));
const f = await ready(room, 'F');
await f.getByTestId('enter-button').click();
await frames(f, 5);
const log = await f.evaluate(() => window.__log);
import('node:fs').then((fs) => fs.writeFileSync('/tmp/diag/sfu-offer.sdp', '')); const sdp = await f.evaluate(() => window.__sdp); (await import('node:fs')).writeFileSync('/tmp/diag/sfu-offer.sdp', sdp);
const click = log.find((l) => l[1] === 'CLICK')[0];
for (const [t, w] of log) if (t >= click - 5) console.log(String(t - click).padStart(6), w);
await browser.close();
server.stop();
