/** The loopback SMTP sink in its own process, so it does not share the sender's event loop. Prints its port. */
import { SmtpSink } from '../test/smtp-sink.js';

const sink = new SmtpSink();
const port = await sink.listen();
process.stdout.write(`${port}\n`);
process.on('SIGTERM', () => void sink.close().then(() => process.exit(0)));
// the bench reads the count to check that every message arrived, once
setInterval(() => process.stdout.write(`count ${sink.received.length}\n`), 500).unref();
