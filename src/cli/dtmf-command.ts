/**
 * `umpin dtmf detect [--format s16|ulaw|alaw] [FILE]`: the keys heard in a recording, for
 * anyone debugging in-band DTMF (a PBX capture, an RTP payload dump). Reads 8 kHz mono raw
 * audio from FILE or stdin and prints the keys as it hears them, nothing else on stdout.
 */
import { type Command, Option } from 'commander';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DtmfDetector } from '../sip/media/dtmf-detector.js';
import { SAMPLE_FORMATS, SampleDecoder, type SampleFormat } from '../sip/media/sample-decoder.js';

class InputError extends Error {}

const CONVERT_HINT =
  'convert it first, e.g. sox in.wav -t raw -r 8000 -c 1 -e signed -b 16 out.raw (or -e u-law / -e a-law with --format ulaw / alaw)';

/** Reasons a file cannot be read, in words. */
function readProblem(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'it is a directory';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message;
}

async function detect(input: Readable, name: string, format: SampleFormat): Promise<void> {
  const decoder = new SampleDecoder(format);
  const detector = new DtmfDetector();
  let printed = false;
  let first = true;
  const print = (digits: { digit: string }[]) => {
    if (digits.length === 0) return;
    process.stdout.write(digits.map((d) => d.digit).join(''));
    printed = true;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    if (first && chunk.length >= 12) {
      first = false;
      const head = chunk.subarray(0, 12).toString('latin1');
      if (head.startsWith('RIFF') && head.endsWith('WAVE'))
        throw new InputError(`${name} is a WAV file, not raw samples: ${CONVERT_HINT}`);
    }
    print(detector.push(decoder.decode(chunk)));
  }
  print(detector.end());
  if (printed) process.stdout.write('\n');
  if (decoder.halfSampleLeft)
    throw new InputError(`${name} ends in half a 16-bit sample (an odd number of bytes): is it really --format s16?`);
}

export function registerDtmfCommand(program: Command): void {
  const dtmf = program.command('dtmf').description('in-band DTMF (touch tones) in audio');
  dtmf
    .command('detect')
    .argument('[file]', 'the recording; stdin when absent or -')
    .description(
      'print the DTMF keys heard in 8 kHz mono raw audio (ITU-T Q.24 detector, as umpin hears calls): 16-bit little-endian linear, μ-law or A-law bytes',
    )
    .addOption(
      new Option('--format <format>', 'the samples: s16 (16-bit little-endian linear), ulaw or alaw (G.711 bytes)')
        .choices(SAMPLE_FORMATS)
        .default('s16'),
    )
    .action(async (file: string | undefined, opts: { format: SampleFormat }) => {
      const fromStdin = file === undefined || file === '-';
      const name = fromStdin ? 'stdin' : file;
      try {
        await detect(fromStdin ? process.stdin : createReadStream(file), name, opts.format);
      } catch (err) {
        const message =
          err instanceof InputError
            ? err.message
            : `cannot read ${fromStdin ? 'stdin' : `'${file}'`}: ${readProblem(err as NodeJS.ErrnoException)}`;
        process.stderr.write(`umpin dtmf detect: ${message}\n`);
        process.exitCode = 1;
      }
    });
}
