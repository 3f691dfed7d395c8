// Draws moim's app icons (the favicon's picture: two people and a table on
// indigo) as PNGs for the web app manifest, with Node's built-ins only:
// shapes sampled 4×4 per pixel for smooth edges, zlib for the PNG's data.
// Run once (`node scripts/icons.mjs`); the PNGs are committed in public/.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BG = [0x4f, 0x46, 0xe5];
const out = (name) => fileURLToPath(new URL(`../public/${name}`, import.meta.url));

/** The picture in a 64-unit square, as in index.html's SVG favicon. */
function inside(x, y, maskable) {
  // A maskable icon is cut to a circle or squircle by the OS: the picture is
  // drawn inside the middle 80 % ("safe zone"), the background fills it all.
  const s = maskable ? 0.72 : 1;
  const u = (x - 32) / s + 32;
  const v = (y - 32) / s + 32;
  const circle = (cx, cy, r) => (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  const bar = u >= 12 && u <= 52 && v >= 40 && v <= 50 && (u >= 17 && u <= 47 ? true : circle(u < 32 ? 17 : 47, 45, 5));
  if (circle(22, 28, 8)) return 1;
  if (circle(42, 28, 8)) return 0.8;
  if (bar) return 0.9;
  return 0;
}

/** The background: a rounded square (rx 16 of 64), or full bleed when maskable. */
function background(x, y, maskable) {
  if (maskable) return true;
  const r = 16;
  const cx = Math.min(Math.max(x, r), 64 - r);
  const cy = Math.min(Math.max(y, r), 64 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function draw(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const N = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const x = ((px + (sx + 0.5) / N) * 64) / size;
          const y = ((py + (sy + 0.5) / N) * 64) / size;
          if (!background(x, y, maskable)) continue;
          cover++;
          white += inside(x, y, maskable);
        }
      }
      const i = (py * size + px) * 4;
      const w = cover ? white / cover : 0;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BG[c] * (1 - w) + 255 * w);
      rgba[i + 3] = Math.round((255 * cover) / (N * N));
    }
  }
  return png(size, rgba);
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) {
  writeFileSync(out(`icon-${size}.png`), draw(size, false));
  writeFileSync(out(`icon-maskable-${size}.png`), draw(size, true));
}
writeFileSync(out('apple-touch-icon.png'), draw(180, true));
