// What the I/O of a loop waits for, from its evidence: another machine, a process or a timer (threads then
// spend their time waiting, so more threads than cores pay), or the local disk (the default pool size will do).
import type { Evidence } from './effects';

export type LatencyClass = 'waiting' | 'disk' | 'unknown';

/** Calls that wait on the network, a child process or a timer, by qualified name or prefix. */
const WAITING = [
  /^time\.sleep$/,
  /^(requests|httpx|urllib3|urllib\.request|http\.client|ftplib|smtplib|socket|paramiko|boto3|botocore|psycopg2?|pymysql)\./,
  /^subprocess\.(run|call|check_call|check_output|getoutput|getstatusoutput)$/,
  /^os\.(system|popen)$/,
  /^pytesseract\.image_to_\w+$/,
];

/** Disk: opening and reading files, listing directories, copying. */
const DISK = [/^(open|io\.open|codecs\.open)$/, /^(os|shutil|glob|pathlib)\./, /^\.(read|readlines|read_text|read_bytes|write_text|write_bytes|iterdir|glob|rglob|stat|exists|open|write|writelines)\(\)$/];

/** The names an evidence chain mentions (`lookup → time.sleep`: both). */
function namesOf(e: Evidence): string[] {
  return [e.what, ...(e.via ?? '').split(/\s*→\s*/)].map((s) => s.replace(/`/g, '').trim()).filter((s) => s !== '');
}

/**
 * `waiting` when some I/O of the loop waits on the network, a child process or a timer; `disk` when all of it
 * is local file work; `unknown` otherwise (a method of an object of unknown type, an unlisted library).
 */
export function latencyClass(evidence: Evidence[]): LatencyClass {
  const io = evidence.filter((e) => e.kind === 'io').flatMap(namesOf);
  if (io.some((name) => WAITING.some((re) => re.test(name)))) return 'waiting';
  if (io.length > 0 && io.every((name) => DISK.some((re) => re.test(name)))) return 'disk';
  return 'unknown';
}
