import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { billPdf, bucketOf, folderFileStore, SEED_PHOTO_SIZES, seedPhoto } from '../../../sandbox/api/files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('folderFileStore (the embedded stack keeps files in its own folder)', () => {
  it('keeps each tenant in its own bucket folder, byte for byte, and answers undefined for a missing key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-files-'));
    dirs.push(dir);
    const store = folderFileStore(dir);
    const body = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 255]);
    await store.put(bucketOf(3), 'encomendas/7/foto.jpg', { body, contentType: 'image/jpeg' });
    expect(await store.get(bucketOf(3), 'encomendas/7/foto.jpg')).toEqual({ body, contentType: 'image/jpeg' });
    expect(await store.get(bucketOf(4), 'encomendas/7/foto.jpg')).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['condominio-3']);
    expect(readdirSync(join(dir, 'condominio-3', 'encomendas', '7'))).toEqual(['foto.jpg']); // no .tmp left
  });
});

describe('billPdf', () => {
  const row = { id: 12, condominio_id: 3, unidade_id: 40, mes: '2024-05', valor_centavos: 123456, vencimento: '2024-05-10', status: 'aberto' };
  const pdf = billPdf(row).toString('latin1');

  it('writes the bill’s fields, escaped, in a PDF 1.4 whose cross-reference offsets point at each object', () => {
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.endsWith('%%EOF\n')).toBe(true);
    expect(pdf).toContain('(Valor: R$ 1234.56 - aberto)');
    expect(pdf).toContain('(Cobranca 12 - condominio 3, unidade 40)');
    const xrefAt = Number(/startxref\n(\d+)\n/.exec(pdf)![1]);
    expect(pdf.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...pdf.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((o, i) => expect(pdf.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const len = Number(/\/Length (\d+) >>\nstream\n/.exec(pdf)![1]);
    const start = pdf.indexOf('stream\n') + 'stream\n'.length;
    expect(pdf.slice(start + len, start + len + '\nendstream'.length)).toBe('\nendstream');
  });

  it('is the same bytes for the same row (made once, and a remake would match)', () => {
    expect(billPdf(row).equals(billPdf(row))).toBe(true);
    expect(billPdf({ ...row, status: 'pago (parcial)' }).toString('latin1')).toContain('pago \\(parcial\\)');
  });
});

describe('seedPhoto (the seeded deliveries were photographed too)', () => {
  it('is a JPEG of its id\'s size class: SOI, comment segments whose lengths chain exactly to EOI', () => {
    for (const id of [1, 2, 3, 4, 5, 1001]) {
      const b = seedPhoto(id);
      expect(b.length).toBe(SEED_PHOTO_SIZES[(id - 1) % 4]);
      expect([b[0], b[1], b[b.length - 2], b[b.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      let p = 2;
      let segments = 0;
      while (p < b.length - 2) {
        expect([b[p], b[p + 1]]).toEqual([0xff, 0xfe]);
        p += 2 + b.readUInt16BE(p + 2);
        segments++;
      }
      expect(p).toBe(b.length - 2);
      expect(segments).toBe(Math.ceil((b.length - 4) / 65_537));
    }
  });

  it('is the same bytes for the same id, other bytes for another, and does not compress', async () => {
    const { gzipSync } = await import('node:zlib');
    expect(seedPhoto(7).equals(seedPhoto(7))).toBe(true);
    expect(seedPhoto(7).equals(seedPhoto(11))).toBe(false); // same size class, other delivery
    const b = seedPhoto(3);
    expect(gzipSync(b).length).toBeGreaterThan(b.length * 0.99);
  });
});
