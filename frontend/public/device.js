// The browser features the app uses through JavaScript: the outbox (IndexedDB), speech, and the
// microphone. Kept here, small and promise-based, so the wasm stays small and the service worker
// can share the outbox code. The app decides what to do; this file only does it.
import "/outbox-core.js";

const outbox = self.soundingsOutbox;
const SYNC_TAG = "soundings-outbox";

export function outboxEnqueue(entry) {
  return outbox.enqueue(entry);
}

export function outboxSummary(owner) {
  return outbox.summary(owner ?? null);
}

export function outboxIsWaiting(key) {
  return outbox.isWaiting(key);
}

export function outboxFlush(owner, token) {
  return outbox.flush(owner ?? null, token ?? null);
}

export function outboxSetSender(owner, token) {
  return outbox.setSender(owner ?? null, token ?? null);
}

export function draftPut(key, value, owner) {
  return outbox.putDraft(key, value, owner ?? null);
}

export function draftGet(key) {
  return outbox.getDraft(key).then((value) => value ?? null);
}

export function draftDelete(key) {
  return outbox.deleteDraft(key);
}

// Asks the browser to run the worker's flush when the signal returns, even after the page is
// closed. Where background sync is missing, the app's own triggers still send the records.
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
    return true;
  } catch (_) {
    return false;
  }
}

// Calls `callback` when the worker has sent records, so the page's count stays true.
export function onOutboxChange(callback) {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data && event.data.type === "outbox") callback();
  });
}

// Calls `callback` once the staff app's shell is in the service worker's cache (it opens with no
// signal then): at once if an earlier visit cached it, else when the worker says it has.
export function watchStaffShell(callback) {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data && event.data.type === "staff-cached") callback();
  });
  if (!self.caches) return;
  caches.match("/staff/index.html").then(
    (hit) => hit && callback(),
    () => {},
  );
}

// ---- Speech --------------------------------------------------------------------------------

let speaking = null;

function voiceFor(lang) {
  if (!("speechSynthesis" in self)) return null;
  const voices = speechSynthesis.getVoices();
  return voices.find((v) => v.lang && v.lang.toLowerCase().split(/[-_]/)[0] === lang) || null;
}

// Voices load after the page on some browsers; wait briefly for them.
export function hasVoice(lang) {
  if (!("speechSynthesis" in self)) return Promise.resolve(false);
  if (voiceFor(lang)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => resolve(voiceFor(lang) !== null);
    speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, 800);
  });
}

export function canPlayAudio() {
  return typeof Audio === "function";
}

// ---- Add to home screen ------------------------------------------------------------------
// boot.js keeps the browser's offer (it may come before the app runs) in soundingsInstallPrompt.

export function onInstallable(callback) {
  if (self.soundingsInstallPrompt) callback();
  addEventListener("soundings-installable", () => callback());
}

export async function install() {
  const offer = self.soundingsInstallPrompt;
  if (!offer) return false;
  self.soundingsInstallPrompt = null;
  await offer.prompt();
  const choice = await offer.userChoice;
  return choice.outcome === "accepted";
}

// Read aloud with no signal: the service worker keeps these clips (fetching, one at a time,
// those it does not have). Nothing happens where there is no worker.
export function keepClips(urls) {
  navigator.serviceWorker?.ready
    .then((registration) => registration.active?.postMessage({ type: "keep-clips", urls }))
    .catch(() => {});
}

export function stopSpeaking() {
  if (speaking) speaking.cancelled = true;
  if ("speechSynthesis" in self) speechSynthesis.cancel();
  if (speaking && speaking.audio) speaking.audio.pause();
  speaking = null;
}

// Says `texts` in order: with the device's voice for `lang` when it has one, else by playing
// `clips` (URLs of recorded clips of the same texts). Resolves when finished or stopped, with
// how it spoke ("voice" or "clips").
export async function speak(texts, lang, clips) {
  stopSpeaking();
  const run = { cancelled: false, audio: null };
  speaking = run;
  const voice = voiceFor(lang);
  if (voice) {
    for (const text of texts) {
      if (run.cancelled) break;
      await new Promise((resolve) => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.rate = 0.9;
        utterance.onend = resolve;
        utterance.onerror = resolve;
        speechSynthesis.speak(utterance);
      });
    }
    return "voice";
  }
  for (const url of clips) {
    if (run.cancelled) break;
    await new Promise((resolve) => {
      const audio = new Audio(url);
      run.audio = audio;
      audio.onended = resolve;
      audio.onerror = resolve;
      audio.onpause = resolve;
      audio.play().catch(resolve);
    });
  }
  return "clips";
}

// ---- Voice comments ------------------------------------------------------------------------

const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
let recording = null;

export function canRecord() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && self.MediaRecorder);
}

// Starts recording from the microphone; stops by itself after `maxMs`. Rejects when the person
// refuses the microphone or there is none.
export async function startRecording(maxMs) {
  if (recording) return;
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const mimeType = AUDIO_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, {
    ...(mimeType ? { mimeType } : {}),
    // Speech is clear at this rate, and three minutes stay under a megabyte.
    audioBitsPerSecond: 32000,
  });
  const chunks = [];
  const started = Date.now();
  const finished = new Promise((resolve) => {
    recorder.ondataavailable = (event) => {
      if (event.data && event.data.size) chunks.push(event.data);
    };
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      const type = (recorder.mimeType || mimeType || "audio/webm").split(";")[0];
      resolve({ blob: new Blob(chunks, { type }), type, ms: Date.now() - started });
    };
  });
  const timer = setTimeout(() => recorder.state !== "inactive" && recorder.stop(), maxMs);
  recording = { recorder, finished, timer };
  recorder.start(1000);
}

// Resolves with { blob, type, ms } when the recording ends, by stopRecording or the time limit.
export async function recordingDone() {
  const current = recording;
  if (!current) return null;
  const result = await current.finished;
  clearTimeout(current.timer);
  if (recording === current) recording = null;
  return result;
}

export function stopRecording() {
  if (recording && recording.recorder.state !== "inactive") recording.recorder.stop();
}

export function objectUrl(blob) {
  return URL.createObjectURL(blob);
}

// Saves `blob` as a file called `name` (a download fetched with a bearer token, which a plain
// link cannot send). The URL is let go once the browser has had time to start the download.
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// ---- Staff records (the staff app) -----------------------------------------------------------

export function outboxList(owner) {
  return outbox.list(owner);
}

// Logging out: everything of this person on the device, and their key.
export function outboxForgetOwner(owner) {
  return outbox.forgetOwner(owner);
}

export function caseloadPut(owner, text) {
  return outbox.putCaseload(owner, text);
}

export function caseloadGet(owner) {
  return outbox.getCaseload(owner);
}

// Resolves with { text, count }: the backup file's text and how many things it holds.
export function outboxBackup(owner, passphrase) {
  return outbox.backup(owner, passphrase);
}

// Resolves with { added } or { error: "file" | "passphrase" | "owner" | "none" }.
export async function outboxRestore(owner, passphrase, inputId) {
  const input = document.getElementById(inputId);
  const file = input && input.files && input.files[0];
  if (!file) return { error: "none" };
  return outbox.restore(owner, passphrase, await file.text());
}

// A text as a file to save (see saveFile).
export function textBlob(text, type) {
  return new Blob([text], { type });
}

export function outboxRetry(key) {
  return outbox.retry(key);
}

export function outboxEnqueueEdit(entry) {
  return outbox.enqueueEdit(entry);
}

export function outboxForgetConflict(key) {
  return outbox.forgetConflict(key);
}
