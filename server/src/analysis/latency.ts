// What the I/O of a loop waits for, from its evidence: another machine, a process or a timer (threads then
// spend their time waiting, so more threads than cores pay), or the local disk (the default pool size will do).
import type { Evidence } from './effects';

export type LatencyClass = 'waiting' | 'programs' | 'disk' | 'unknown';

/** Calls that wait on the network or a timer, by qualified name or prefix. */
const WAITING = [
  /^time\.sleep$/,
  /^(requests|httpx|urllib3|urllib\.request|http\.client|ftplib|smtplib|socket|paramiko|boto3|botocore|psycopg2?|pymysql)\./,
];

/** Calls that wait on a child program (its work runs there, on a core of its own), by qualified name. */
const PROGRAMS = [/^subprocess\.(run|call|check_call|check_output|getoutput|getstatusoutput)$/, /^os\.(system|popen)$/, /^pytesseract\.image_to_\w+$/];

/**
 * Programs that mostly wait on the network (a ping sweep, a download, a remote shell): threads running them overlap
 * waits, as requests do. Any other program computes, and more of them at once than cores only share the cores.
 */
const NETWORK_PROGRAMS = /\b(ping|fping|curl|wget|nslookup|dig|whois|traceroute|tracert|tracepath|mtr|nmap|masscan|ssh|scp|sftp|rsync|git|aws|gsutil|gcloud|az|kubectl|helm|ansible|yt-dlp|youtube-dl|aria2c|telnet|ncat|netcat|snmpwalk|snmpget|adb|ipmitool|smbclient|ldapsearch)\b/i;

/** Disk: opening and reading files, listing directories, copying. */
const DISK = [/^(open|io\.open|codecs\.open)$/, /^(os|shutil|glob|pathlib)\./, /^\.(read|readlines|read_text|read_bytes|write_text|write_bytes|iterdir|glob|rglob|stat|exists|open|write|writelines)\(\)$/];

/** The names an evidence chain mentions (`lookup → time.sleep`: both). */
export function namesOf(e: Evidence): string[] {
  return [e.what, ...(e.via ?? '').split(/\s*→\s*/)].map((s) => s.replace(/`/g, '').trim()).filter((s) => s !== '');
}

/**
 * `waiting` when some I/O of the loop waits on the network or a timer, or runs a program that waits on the network
 * (`programText`, the code that spells the commands, names one); `programs` when its waits are child programs that
 * compute (a Blender or ffmpeg run: the executor's default size, a few more than the cores, not 32); `disk` when all
 * of it is local file work; `unknown` otherwise (a method of an object of unknown type, an unlisted library).
 */
export function latencyClass(evidence: Evidence[], programText = ''): LatencyClass {
  const io = evidence.filter((e) => e.kind === 'io').flatMap(namesOf);
  if (io.some((name) => WAITING.some((re) => re.test(name)))) return 'waiting';
  if (io.some((name) => PROGRAMS.some((re) => re.test(name)))) return NETWORK_PROGRAMS.test(programText) ? 'waiting' : 'programs';
  if (io.length > 0 && io.every((name) => DISK.some((re) => re.test(name)))) return 'disk';
  return 'unknown';
}
