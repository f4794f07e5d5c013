// Oma ääni: progressive enhancement only. Every page works without this file.
//
// 1. Listening: each native audio player (three Tab stops, its buttons named in the browser's
//    language) becomes one "Listen" button in our words that plays the same, now hidden, audio
//    element and stops it when pressed again. "Use my device's voice" (a setting, offered only
//    where the device has a voice of its own for the page's language): the same words, read by
//    the device at the same rate. Nothing leaves the device: only voices that run on it
//    (localService) are used, and where there is none, or it fails, the server's audio plays.
//    "Read each question aloud": plays the question after each step, only when the person has
//    chosen that setting (no sound ever plays otherwise).
// 2. The conversation mode: the same steps as a growing transcript, over the JSON API. Built
//    for braille and screen readers first: every prompt and answer stays on the page as a list
//    item the reader can move back to, each with its sender named in text; one polite live
//    region announces only the new prompt; focus goes to the new prompt's input. The plain page
//    is one click away and its URLs keep working.
"use strict";

(function () {
  const texts = JSON.parse((document.getElementById("oma-texts") || {}).textContent || "{}");
  // Every address comes from the server (its one table of routes): none is spelled here.
  const urls = JSON.parse((document.getElementById("oma-urls") || {}).textContent || "{}");
  const stepForm = document.querySelector("form.step-form");
  const main = document.getElementById("main");
  const MODE = "oma-mode";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value; // never innerHTML: answers are text
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function csrf() {
    const field = document.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json", "X-CSRF-Token": csrf() } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  // 1. Listening.
  const body = document.body.dataset;
  const autoplay = body.autoplay === "1";
  const speech = body.speech === "1"; // the server's audio works
  const wantsDevice = body.voice === "device";
  const rate = Number(body.speechRate) || 1; // the speech rate setting, as the server reads it
  let playing = null; // what plays now: one sound at a time

  // A voice of the device's own (never one that sends the text to a server) for the page's language.
  function deviceVoice() {
    if (!("speechSynthesis" in window)) return null;
    const lang = document.documentElement.lang.toLowerCase();
    return window.speechSynthesis.getVoices().find((voice) => voice.localService
      && voice.lang.toLowerCase().split(/[-_]/)[0] === lang) || null;
  }

  function onDevice(text, ended, failed) {
    const voice = wantsDevice && text ? deviceVoice() : null;
    if (!voice) return null;
    const synth = window.speechSynthesis;
    synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    Object.assign(utterance, { voice, lang: voice.lang, rate });
    utterance.onend = ended;
    utterance.onerror = (event) => (["interrupted", "canceled"].includes(event.error) ? ended() : failed());
    synth.speak(utterance);
    return { stop: () => synth.cancel() };
  }

  function fromServer(audio, ended) {
    audio.onended = ended;
    audio.play().catch(ended);
    return { stop: () => { audio.pause(); audio.currentTime = 0; ended(); } };
  }

  // Play `audio` (an <audio> element), or read `text` with the device's voice if so chosen.
  function play(audio, text, ended) {
    if (playing) playing.stop();
    let sound = null;
    const done = () => { if (playing === control) playing = null; ended(); };
    const control = { stop: () => sound && sound.stop() };
    sound = onDevice(text, done, () => { sound = fromServer(audio, done); }) || fromServer(audio, done);
    playing = control;
    return control;
  }

  // One button: its label while quiet, "Stop listening" while it plays.
  function listenButton(button, audio, text) {
    const label = button.textContent;
    let sound = null;
    button.addEventListener("click", () => {
      if (sound) { sound.stop(); return; }
      button.textContent = button.dataset.stop || texts.stop;
      sound = play(audio, text, () => { sound = null; button.textContent = label; });
    });
    return button;
  }

  for (const box of document.querySelectorAll(".listen")) {
    const button = box.querySelector(".listen-button");
    const audio = box.querySelector("audio");
    if (!button || !audio) continue;
    audio.controls = false; // the native player leaves the page and the Tab order
    box.querySelector(".listen-label").hidden = true; // the button says it now
    button.hidden = false;
    listenButton(button, audio, button.dataset.speak);
  }

  // The draft's Print button: only with a script, which can open the Print dialog.
  for (const button of document.querySelectorAll(".print-button")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }

  // "Use my device's voice" is offered only where the device has a voice for this language.
  const offer = () => {
    const choice = document.getElementById("device-voice");
    if (choice && deviceVoice()) choice.hidden = false;
  };
  offer();
  if ("speechSynthesis" in window) window.speechSynthesis.addEventListener("voiceschanged", offer);

  if (autoplay && stepForm && sessionStorage.getItem(MODE) !== "conversation") {
    const button = document.querySelector("#listen + .listen-button");
    if (button) button.click();
  }

  // 2. The conversation mode.
  if (!stepForm || !main) return;
  const toggle = el("button", { type: "button", class: "button button-secondary mode-toggle", text: texts.show });
  main.prepend(el("p", { class: "mode-switch" }, toggle));
  toggle.addEventListener("click", () => {
    sessionStorage.setItem(MODE, "conversation");
    start();
  });
  if (sessionStorage.getItem(MODE) === "conversation") start();

  let transcript, live, inputArea, plainLink, current;

  function say(sender, words, extra, sound) {
    const item = el("li", { class: "message message-" + (sender === texts.you ? "person" : "assistant") },
      el("p", { class: "sender", text: sender }), el("p", { class: "words", text: words }), extra,
      sound ? el("p", { class: "message-listen" }, listenTo(sound, texts.listen)) : null);
    transcript.append(item);
    return item;
  }

  // A Listen button for a message or a list's item: {src, text}; none without the server's audio.
  function listenTo(sound, label) {
    if (!speech) return null;
    const button = el("button", { type: "button", class: "button button-secondary listen-button", text: label });
    return listenButton(button, quietAudio(sound.src), sound.text);
  }

  // An audio element that fetches nothing until played: as the page's own players
  // (preload="none"), no one's answers are synthesised before they ask to listen.
  function quietAudio(src) {
    const audio = new Audio();
    audio.preload = "none";
    audio.src = src;
    return audio;
  }

  function announce(words) {
    live.textContent = "";
    window.setTimeout(() => { live.textContent = words; }, 50); // a change, so it is read
  }

  // The assistant's answer to a command: a lasting message in the transcript (a braille display
  // drops live-region announcements, so nothing may live only there), announced once by itself.
  // Focus stays on the command the person pressed, so pressing it again or going back to the
  // answer works the same each time.
  function reply(words, extra) {
    say(texts.assistant, words, extra);
    announce([words, ...(extra ? [...extra.children].map((c) => c.textContent) : [])].join(". "));
  }

  async function start() {
    // The conversation goes on from the step this page shows, returning to "check your
    // answers" if the page would: the form names that step's API address.
    const { status, data } = await api("GET", stepForm.dataset.api);
    if (status !== 200) return; // no conversation: the page stays as it is
    main.replaceChildren();
    plainLink = el("a", { href: data.url, class: "mode-plain", text: texts.plain });
    plainLink.addEventListener("click", () => sessionStorage.removeItem(MODE));
    main.append(
      el("p", { class: "mode-switch" }, plainLink),
      el("h1", { id: "question", tabindex: "-1", text: texts.conversation }),
    );
    transcript = el("ol", { class: "transcript", "aria-label": texts.conversation });
    live = el("div", { class: "visually-hidden", "aria-live": "polite", role: "status" });
    inputArea = el("div", { class: "conversation-input" });
    const commands = el("div", { class: "button-group conversation-commands" },
      command(texts.repeat, repeat), command(texts.where, where), command(texts.answered, answered));
    main.append(transcript, live, inputArea, commands);
    show(data);
  }

  function command(label, action) {
    const button = el("button", { type: "button", class: "button button-secondary", text: label });
    button.addEventListener("click", action);
    return button;
  }

  function promptWords(step) {
    return [step.prompt, step.hint, step.text].filter(Boolean).join("\n\n");
  }

  function question(step) {
    return { src: step.audio_url, text: step.speech };
  }

  function show(step) {
    if (step.review) { window.location.assign(step.url || urls.review); return; }
    current = step;
    plainLink.href = step.url; // the plain page of the question now asked
    // Each person of an "add another" list by themselves: their name, and a Listen of their own.
    const items = step.items && step.items.length
      ? el("ul", { class: "message-items" }, ...step.items.map((i, n) => el("li", {}, el("span", { text: i.title }), " ",
        listenTo({ src: i.audio_url, text: i.speech },
          texts.listen_to.replace("%(item)s", i.title))))) : null;
    const message = say(texts.assistant, promptWords(step), items, question(step));
    // A question with no translation is in English: marked, so it is read as English.
    if (step.lang) message.querySelector(".words").setAttribute("lang", step.lang);
    announce(step.prompt);
    renderInput(step);
    if (autoplay && speech) play(new Audio(step.audio_url), step.speech, () => {});
  }

  function repeat() {
    say(texts.assistant, promptWords(current), null, question(current));
    announce(promptWords(current));
  }

  function where() {
    reply(current.progress.text); // "About me, question 4 of about 33", as the page's caption
  }

  async function answered() {
    const { status, data } = await api("GET", urls.api_review);
    if (status !== 200) { reply(texts.failed_to_load); return; }
    const rows = data.rows.filter((r) => r.answers.length || (r.items && r.items.length));
    const list = el("ul", {}, ...rows.map((r) => el("li", {
      text: r.question + " " + (r.items && r.items.length ? r.items.map((i) => i.title).join(", ")
        : r.answers.map((a) => a.text).join(" / ")),
    })));
    if (rows.length) reply(texts.answered, list);
    else reply(texts.nothing);
  }

  function field(type, name, value, label, checked) {
    const id = "c-" + name + "-" + value;
    return el("div", { class: "choice" },
      el("input", { class: "choice-input", type, id, name, value, checked }),
      el("label", { class: "choice-label", for: id, text: label }));
  }

  // The answer given before, filled in as the plain page fills it in (after "back" or a change).
  function earlier(step) {
    const entry = step.answer && step.answer.status !== "skipped" ? step.answer : {};
    const value = entry.value === undefined || entry.value === null ? "" : entry.value;
    const [year, month, day] = step.kind === "date" && value ? value.split("-") : ["", "", ""];
    return {
      chosen: Array.isArray(value) ? value : [value],
      text: Array.isArray(value) ? "" : String(value),
      other: entry.other || "",
      date: { day: String(Number(day) || ""), month: String(Number(month) || ""), year },
    };
  }

  function renderInput(step) {
    const form = el("form", { class: "conversation-form", novalidate: true });
    const before = earlier(step);
    const legendId = "c-prompt";
    const errors = el("div", { id: "c-errors", class: "error-message" });
    let body;
    if (step.kind === "list") {
      body = el("fieldset", { class: "fieldset" }, el("legend", { class: "legend", text: step.add_prompt }),
        field("radio", "add", "yes", texts.yes), field("radio", "add", "no", texts.no));
    } else if (["single-choice", "yes-no", "scale", "multiple-choice"].includes(step.kind)) {
      const type = step.kind === "multiple-choice" ? "checkbox" : "radio";
      const options = step.choices.map((c) => field(type, "answer", c.value, c.label, before.chosen.includes(c.value)));
      if (step.something_else) {
        options.push(field(type, "answer", "something-else", step.something_else, before.chosen.includes("something-else")),
          el("label", { class: "label", for: "c-other", text: texts.other }),
          el("input", { class: "input", type: "text", id: "c-other", name: "other", value: before.other || null }));
      }
      body = el("fieldset", { class: "fieldset", "aria-describedby": "c-errors" },
        el("legend", { class: "legend", id: legendId, text: step.prompt }), ...options);
    } else if (step.kind === "date") {
      body = el("fieldset", { class: "fieldset", "aria-describedby": "c-errors" },
        el("legend", { class: "legend", text: step.prompt }),
        el("div", { class: "date-input" }, ...["day", "month", "year"].map((part) => el("div", { class: "date-input-item" },
          el("label", { class: "label", for: "c-" + part, text: texts[part] }),
          el("input", { class: "input input-width-" + (part === "year" ? 4 : 2), id: "c-" + part, name: part, inputmode: "numeric", value: before.date[part] || null })))));
    } else if (step.kind !== "information") {
      const box = step.kind === "long-text"
        ? el("textarea", { class: "textarea", id: "c-answer", name: "answer", rows: "4", "aria-describedby": "c-errors", text: before.text || null })
        : el("input", { class: "input", id: "c-answer", name: "answer", type: "text", inputmode: step.kind === "number" ? "decimal" : null, "aria-describedby": "c-errors", value: before.text || null });
      body = el("div", { class: "form-group" }, el("label", { class: "label", for: "c-answer", text: texts.your_answer + ": " + step.prompt }), box,
        step.unit ? el("span", { class: "input-suffix", text: step.unit }) : null);
    }
    const buttons = el("div", { class: "button-group" });
    const actions = [["continue", texts.send]];
    if (step.kind !== "information") actions.push(["skip", texts.skip]);
    if (step.offer.includes("dont-know")) actions.push(["dont-know", texts.dont_know]);
    if (step.offer.includes("talk-in-meeting")) actions.push(["talk-in-meeting", texts.meeting]);
    for (const [action, label] of actions) {
      const button = el("button", { type: "submit", class: "button" + (action === "continue" ? "" : " button-secondary"), value: action, text: label });
      buttons.append(button);
    }
    form.append(errors, body || "", buttons);
    form.addEventListener("submit", (event) => { event.preventDefault(); send(form, event.submitter ? event.submitter.value : "continue"); });
    inputArea.replaceChildren(form);
    const first = form.querySelector("input, textarea, button");
    if (first) first.focus();
  }

  function answerWords(form, action) {
    if (action !== "continue") {
      return action === "skip" ? texts.skipped : action === "dont-know" ? texts.dont_know : texts.meeting;
    }
    const chosen = [...form.querySelectorAll("input:checked")].map((i) => form.querySelector("label[for='" + i.id + "']").textContent);
    const typed = [...form.querySelectorAll("input[type=text], textarea")].map((i) => i.value.trim()).filter(Boolean);
    return chosen.concat(typed).join(", ");
  }

  async function send(form, action) {
    const body = { action };
    if (current.position.item) body.item = current.position.item;
    // Changing an answer from "check your answers" leads back there, as the plain page does.
    if (new URL(current.url, location.href).searchParams.get("return") === "review") body.return = "review";
    for (const [name, value] of new FormData(form)) {
      if (name === "answer" && current.kind === "multiple-choice") (body.answer = body.answer || []).push(value);
      else body[name] = value;
    }
    const words = answerWords(form, action);
    const { status, data } = await api("POST", current.api_url, body);
    const errors = form.querySelector("#c-errors");
    if (status === 422) {
      errors.textContent = texts.error + " " + data.errors.map((e) => e.message).join(" ");
      const target = form.querySelector("input, textarea");
      if (target) { target.setAttribute("aria-invalid", "true"); target.focus(); }
      return;
    }
    if (status !== 200) {
      errors.textContent = texts.error + " " + ((data && data.message) || texts.failed);
      return;
    }
    if (current.kind !== "information") say(texts.you, words || texts.skipped);
    show(data);
  }
})();
