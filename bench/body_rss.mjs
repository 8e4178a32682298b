// The server's memory while anonymous clients send large bodies (issue 11):
//   node bench/body_rss.mjs PID [host:port] [connections] [MiB each]
// Opens the connections at once, each POSTing a JSON body of the given size
// to /api/v1/auth/login with a Content-Length, holds them open for a moment
// and prints the server's VmRSS before, at its highest and after.
import fs from 'node:fs';
import net from 'node:net';

const [pid, hostPort = '127.0.0.1:8080', nArg = '100', mibArg = '1'] = process.argv.slice(2);
const [host, port] = hostPort.split(':');
const n = Number(nArg), size = Number(mibArg) * 1024 * 1024;
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const before = rssKiB();
let peak = before;
const timer = setInterval(() => { peak = Math.max(peak, rssKiB()); }, 20);
const body = Buffer.alloc(size, 0x20);
const statuses = {};
await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
	const s = net.connect(Number(port), host);
	let answer = '';
	s.on('connect', () => {
		s.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: ${hostPort}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
		s.write(body);
	});
	s.on('data', (d) => { answer += d; });
	s.on('error', () => {});
	// Hold the connection until the whole body is written and answered.
	const done = () => { const m = /^HTTP\/1\.1 (\d+)/.exec(answer); statuses[m ? m[1] : 'none'] = (statuses[m ? m[1] : 'none'] || 0) + 1; s.destroy(); resolve(); };
	s.on('drain', () => setTimeout(done, 1500));
	setTimeout(done, 5000);
})));
clearInterval(timer);
peak = Math.max(peak, rssKiB());
await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify({ connections: n, body_mib: Number(mibArg), rss_before_mib: +(before / 1024).toFixed(1), rss_peak_mib: +(peak / 1024).toFixed(1), rss_after_mib: +(rssKiB() / 1024).toFixed(1), statuses }));
