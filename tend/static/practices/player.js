// Tend's guided player: a breath pacer, steps one at a time, and the shared pacer.
//
// Timing: every phase boundary is computed from one origin on the performance.now() timeline
// (origin + whole cycles + the phases before it), and the next wake-up is a fresh setTimeout
// aimed at that boundary. Nothing accumulates: a late timer makes one phase start a few ms
// late, never every phase after it. The shared pacer uses the same scheduler with an origin
// derived from the server's clock (see syncClock).
//
// For tests and assistive tech the pacer keeps window.tendPacer.log: one entry per phase with
// the performance.now() time it began ("at") and when it was due ("due").
"use strict";

(function () {
  const IN = 0;
  const HOLD_IN = 1;
  const OUT = 2;
  const SMALL = 0.55;
  const EARLY = 20;
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  const hook = { log: [], state: "idle", origin: null, offset: 0, rtt: null };
  const stringsNode = document.getElementById("player-strings");
  const strings = stringsNode ? JSON.parse(stringsNode.textContent) : {};
  function say(name, fallback) {
    return strings[name] || fallback;
  }
  window.tendPacer = hook;

  function formatTime(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return minutes + ":" + String(seconds).padStart(2, "0");
  }

  // ---- Soft tones and vibration --------------------------------------------------------

  function makeCues(root) {
    const sound = root.querySelector("[data-sound]");
    const vibrate = root.querySelector("[data-vibrate]");
    const vibrateOption = root.querySelector("[data-vibrate-option]");
    let audio = null;
    if (vibrateOption && "vibrate" in navigator) vibrateOption.hidden = false;

    function ensureAudio() {
      const AudioContext = window.AudioContext || window.webkitAudioContext;
      if (!audio && AudioContext) audio = new AudioContext();
      if (audio && audio.state === "suspended") audio.resume();
    }
    if (sound) sound.addEventListener("change", () => sound.checked && ensureAudio());

    function tone(frequency, seconds) {
      if (!audio) return;
      const now = audio.currentTime;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0, now);
      gain.gain.linearRampToValueAtTime(0.06, now + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
      osc.connect(gain).connect(audio.destination);
      osc.start(now);
      osc.stop(now + seconds + 0.05);
    }

    return {
      phase(index) {
        if (sound && sound.checked) {
          if (index === IN) tone(392, 0.7);
          else if (index === OUT) tone(294, 0.9);
        }
        if (vibrate && vibrate.checked && "vibrate" in navigator) {
          if (index === IN) navigator.vibrate(80);
          else if (index === OUT) navigator.vibrate([40, 80, 40]);
        }
      },
      turnOnForDiscreet() {
        if (sound && !sound.checked && !(vibrate && vibrate.checked)) {
          sound.checked = true;
          ensureAudio();
        }
      },
    };
  }

  // ---- The scheduler ---------------------------------------------------------------------

  function createPacer(phases, handlers) {
    const durations = phases.map((p) => p.seconds * 1000);
    const cycle = durations.reduce((a, b) => a + b, 0);
    let origin = null;
    let endAt = Infinity;
    let timer = null;
    let current = null;
    let pausedAt = null;

    function position(t) {
      const elapsed = t - origin;
      const cycleIndex = Math.floor(elapsed / cycle);
      const within = elapsed - cycleIndex * cycle;
      let start = 0;
      for (let i = 0; i < phases.length; i += 1) {
        if (within < start + durations[i] || i === phases.length - 1) {
          const due = origin + cycleIndex * cycle + start;
          return { cycle: cycleIndex, i: i, phase: phases[i], due: due, end: due + durations[i] };
        }
        start += durations[i];
      }
      return null;
    }

    function wake() {
      timer = null;
      const t = performance.now();
      if (t >= endAt) {
        finish("done");
        return;
      }
      const pos = position(t);
      const key = pos.cycle + ":" + pos.i;
      if (!current || current.key !== key) {
        current = { key: key, pos: pos };
        handlers.phase(pos, t, false);
      }
      aim(Math.min(pos.end, endAt));
    }

    function aim(target) {
      // Wake a little before the boundary and wait out the last few milliseconds, so that a
      // timer firing late (a busy device) still lands on time. An early wake-up aims again.
      const wait = target - performance.now();
      if (wait > EARLY) {
        timer = setTimeout(wake, wait - EARLY);
        return;
      }
      while (performance.now() < target) {
        // At most EARLY ms, once per phase.
      }
      wake();
    }

    function finish(how) {
      if (timer) clearTimeout(timer);
      timer = null;
      hook.state = how;
      handlers.finish(how);
    }

    return {
      cycle: cycle,
      start(at, durationMs) {
        origin = at;
        endAt = durationMs ? at + durationMs : Infinity;
        hook.origin = origin;
        hook.state = "running";
        current = null;
        wake();
      },
      retime(at) {
        // The shared pacer learns a better clock offset: move the origin, keep going.
        origin = at;
        hook.origin = origin;
        if (timer) clearTimeout(timer);
        wake();
      },
      setEnd(at) {
        endAt = at;
      },
      pause() {
        if (hook.state !== "running") return;
        clearTimeout(timer);
        timer = null;
        pausedAt = performance.now();
        hook.state = "paused";
      },
      resume() {
        if (hook.state !== "paused") return;
        const shift = performance.now() - pausedAt;
        origin += shift;
        endAt += shift;
        hook.origin = origin;
        hook.state = "running";
        const t = performance.now();
        const pos = position(t);
        current = { key: pos.cycle + ":" + pos.i, pos: pos };
        handlers.phase(pos, t, true);
        aim(Math.min(pos.end, endAt));
      },
      stop() {
        if (hook.state === "running" || hook.state === "paused") finish("stopped");
      },
      elapsed() {
        const t = hook.state === "paused" ? pausedAt : performance.now();
        return origin === null ? 0 : t - origin;
      },
      remaining() {
        const t = hook.state === "paused" ? pausedAt : performance.now();
        return endAt - t;
      },
      current() {
        return current && current.pos;
      },
      poke() {
        // Called on every animation frame as well: whichever of the frame and the timer
        // notices the boundary first starts the next phase, so a busy timer queue costs less.
        if (hook.state !== "running" || !current) return;
        const t = performance.now();
        if (t >= current.pos.end || t >= endAt) {
          if (timer) clearTimeout(timer);
          wake();
        }
      },
    };
  }

  // ---- The breath player (solo, "I'm activated", and together) ----------------------------

  function breathPlayer(root) {
    const phases = JSON.parse(document.getElementById("pacer-phases").textContent);
    if (!phases.length) return;
    const together = root.hasAttribute("data-together");
    const circle = root.querySelector("[data-circle]");
    const phaseText = root.querySelector("[data-phase]");
    const countText = root.querySelector("[data-count]");
    const announce = root.querySelector("[data-announce]");
    const remainingText = root.querySelector("[data-remaining]");
    const startButton = root.querySelector("[data-start]");
    const pauseButton = root.querySelector("[data-pause]");
    const stopButton = root.querySelector("[data-stop]");
    const length = root.querySelector("[data-length]");
    const discreet = root.querySelector("[data-discreet]");
    const veil = root.querySelector("[data-veil]");
    const veilPhase = root.querySelector("[data-veil-phase]");
    const undiscreet = root.querySelector("[data-undiscreet]");
    const cues = makeCues(root);
    let duration = Number(root.dataset.duration || 0) * 1000;
    let frame = null;
    let lastShown = "";

    function scaleFor(index) {
      return index === IN || index === HOLD_IN ? 1 : SMALL;
    }

    function animate(pos, t) {
      if (!circle || reducedMotion.matches) return;
      const remaining = Math.max(0, pos.end - t) / 1000;
      circle.style.transition = "transform " + remaining.toFixed(3) + "s ease-in-out";
      circle.style.transform = "scale(" + scaleFor(pos.i) + ")";
    }

    function freeze() {
      if (!circle) return;
      const now = getComputedStyle(circle).transform;
      circle.style.transition = "none";
      circle.style.transform = now === "none" ? "" : now;
    }

    function paint() {
      pacer.poke();
      const pos = pacer.current();
      if (pos && hook.state === "running") {
        const t = performance.now();
        const count = Math.min(pos.phase.seconds, Math.floor((t - pos.due) / 1000) + 1);
        const shown = String(count);
        if (shown !== lastShown) {
          countText.textContent = shown;
          lastShown = shown;
        }
        if (remainingText && isFinite(pacer.remaining())) {
          remainingText.textContent = formatTime(pacer.remaining());
        }
      }
      frame = hook.state === "running" ? requestAnimationFrame(paint) : null;
    }

    const pacer = createPacer(phases, {
      phase(pos, t, resumed) {
        if (!resumed) {
          hook.log.push({
            cycle: pos.cycle,
            index: pos.i,
            name: pos.phase.name,
            at: t,
            due: pos.due,
            epoch: performance.timeOrigin + t,
          });
          root.dispatchEvent(new CustomEvent("tend:phase", { detail: hook.log[hook.log.length - 1] }));
          cues.phase(pos.i);
        }
        phaseText.textContent = pos.phase.name;
        if (veilPhase) veilPhase.textContent = pos.phase.name;
        root.dataset.pacerPhase = String(pos.i);
        announce.textContent = pos.phase.name + ", " + pos.phase.seconds;
        lastShown = "";
        animate(pos, t);
        if (!frame) frame = requestAnimationFrame(paint);
      },
      finish(how) {
        freeze();
        if (frame) cancelAnimationFrame(frame);
        frame = null;
        const words = together
          ? root.dataset.endedText
          : how === "done"
            ? say("done", "Done. Notice how you feel.")
            : say("stopped", "Stopped. Notice how you feel.");
        phaseText.textContent = words;
        countText.textContent = "";
        announce.textContent = words;
        root.dataset.pacerPhase = how;
        if (startButton) {
          startButton.hidden = false;
          startButton.textContent = say("again", "Again");
        }
        if (pauseButton) pauseButton.hidden = true;
        if (stopButton) stopButton.disabled = true;
        if (length) length.disabled = false;
        leaveDiscreet();
        if (!together) showRate(Math.round(pacer.elapsed() / 1000));
      },
    });

    function begin() {
      hook.log.length = 0;
      if (startButton) startButton.hidden = true;
      if (pauseButton) {
        pauseButton.hidden = false;
        pauseButton.textContent = say("pause", "Pause");
        pauseButton.focus();
      }
      if (stopButton) stopButton.disabled = false;
      if (length) length.disabled = true;
      if (circle && !reducedMotion.matches) {
        circle.style.transition = "none";
        circle.style.transform = "scale(" + SMALL + ")";
        // Apply the starting size before the first phase animates from it.
        void circle.offsetWidth;
      }
      pacer.start(performance.now(), duration);
      showOrb();
    }

    // If the page was scrolled so that the orb is cut off under the top bar, bring it back whole:
    // the person should not have to find it again with their breath already going.
    function showOrb() {
      if (!circle || reducedMotion.matches) return;
      const box = circle.closest(".pacer").getBoundingClientRect();
      const top = parseFloat(getComputedStyle(circle.closest(".pacer")).scrollMarginTop) || 0;
      if (box.top < top || box.bottom > window.innerHeight) {
        circle.closest(".pacer").scrollIntoView({ block: "start", behavior: "smooth" });
      }
    }

    function enterDiscreet() {
      if (!veil) return;
      cues.turnOnForDiscreet();
      veil.hidden = false;
      document.body.classList.add("pacer-discreet");
      if (undiscreet) undiscreet.focus();
    }

    function leaveDiscreet() {
      if (!veil || veil.hidden) return;
      veil.hidden = true;
      document.body.classList.remove("pacer-discreet");
      if (discreet) {
        discreet.checked = false;
        discreet.focus();
      }
    }

    if (startButton) startButton.addEventListener("click", begin);
    // A tap on the orb does what the main button shows: start (or again), pause or resume.
    // Keyboard and screen-reader users have the buttons themselves; the orb stays hidden to them.
    const orb = root.querySelector(".pacer");
    if (orb && !together) {
      orb.addEventListener("click", () => {
        const button = hook.state === "running" || hook.state === "paused" ? pauseButton : startButton;
        if (button && !button.hidden) button.click();
      });
    }
    if (pauseButton) {
      pauseButton.addEventListener("click", () => {
        if (hook.state === "running") {
          pacer.pause();
          freeze();
          pauseButton.textContent = say("resume", "Resume");
          phaseText.textContent = say("paused", "Paused");
          announce.textContent = say("paused", "Paused");
        } else if (hook.state === "paused") {
          pauseButton.textContent = say("pause", "Pause");
          pacer.resume();
        }
      });
    }
    if (stopButton) stopButton.addEventListener("click", () => pacer.stop());
    if (length) {
      length.addEventListener("change", () => {
        duration = Number(length.value) * 1000;
        if (remainingText) remainingText.textContent = formatTime(duration);
        const field = document.querySelector("[data-duration-field]");
        if (field) field.value = String(Number(length.value));
      });
    }
    if (discreet) discreet.addEventListener("change", () => (discreet.checked ? enterDiscreet() : leaveDiscreet()));
    if (undiscreet) undiscreet.addEventListener("click", leaveDiscreet);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") leaveDiscreet();
    });

    if (together) sharedBreath(root, pacer, phaseText, announce, remainingText);
  }

  // ---- Breathing together: the server's clock ---------------------------------------------

  async function syncClock(url, samples) {
    // NTP-style: the server's time is taken to be at the midpoint of each round trip, and the
    // sample with the shortest round trip (the least room for asymmetry) wins.
    let best = null;
    for (let n = 0; n < samples; n += 1) {
      const t0 = performance.now();
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      const body = await response.json();
      const t1 = performance.now();
      const rtt = t1 - t0;
      const offset = body.now - (performance.timeOrigin + (t0 + t1) / 2);
      if (!best || rtt < best.rtt) best = { rtt: rtt, offset: offset };
    }
    return best;
  }

  function sharedBreath(root, pacer, phaseText, announce, remainingText) {
    const started = Number(root.dataset.started);
    const expires = Number(root.dataset.expires);
    const status = document.querySelector("[data-together-status]");
    let ended = false;

    function local(serverMs, offset) {
      // A server time as a point on this page's performance.now() timeline.
      return serverMs - offset - performance.timeOrigin;
    }

    function end() {
      if (ended) return;
      ended = true;
      if (hook.state === "running") pacer.stop();
      if (status) status.textContent = root.dataset.endedText;
      phaseText.textContent = root.dataset.endedText;
      announce.textContent = root.dataset.endedText;
      if (remainingText) remainingText.textContent = "0:00";
    }

    async function poll() {
      if (ended) return;
      try {
        const response = await fetch(root.dataset.statusUrl, { cache: "no-store", credentials: "same-origin" });
        if (response.status === 410 || response.status === 404) {
          end();
          return;
        }
        const body = await response.json();
        if (body.joined && status) status.textContent = root.dataset.joinedText;
      } catch (error) {
        // Offline for a moment: keep breathing; the next poll asks again.
      }
      setTimeout(poll, 3000);
    }

    async function resync() {
      try {
        const best = await syncClock(root.dataset.clockUrl, 3);
        if (ended || !best) return;
        if (Math.abs(best.offset - hook.offset) > 20) {
          hook.offset = best.offset;
          hook.rtt = best.rtt;
          pacer.setEnd(local(expires, best.offset));
          pacer.retime(local(started, best.offset));
        }
      } catch (error) {
        // Keep the offset we have.
      }
      if (!ended) setTimeout(resync, 120000);
    }

    syncClock(root.dataset.clockUrl, 5).then(
      (best) => {
        hook.offset = best.offset;
        hook.rtt = best.rtt;
        pacer.start(local(started, best.offset), 0);
        pacer.setEnd(local(expires, best.offset));
        setTimeout(poll, 3000);
        setTimeout(resync, 120000);
      },
      () => {
        phaseText.textContent = say("unreachable", "Could not reach the server. Reload to try again.");
      }
    );
  }

  // ---- Steps one at a time -----------------------------------------------------------------

  function stepsPlayer(root) {
    const steps = Array.from(root.querySelectorAll("[data-steps] > li"));
    const progress = root.querySelector("[data-step-progress]");
    const controls = root.querySelector("[data-step-controls]");
    const back = root.querySelector("[data-step-back]");
    const next = root.querySelector("[data-step-next]");
    const started = performance.now();
    let index = 0;
    if (!steps.length) {
      showRate(0);
      return;
    }
    controls.hidden = false;

    function show(focus) {
      steps.forEach((step, i) => (step.hidden = i !== index));
      progress.textContent = say("step", "Step {n} of {total}").replace("{n}", index + 1).replace("{total}", steps.length);
      back.disabled = index === 0;
      next.textContent = index === steps.length - 1 ? say("finish", "Done") : say("next", "Next");
      if (focus) steps[index].focus();
    }
    back.addEventListener("click", () => {
      if (index > 0) index -= 1;
      show(true);
    });
    next.addEventListener("click", () => {
      if (index < steps.length - 1) {
        index += 1;
        show(true);
      } else {
        progress.textContent = say("done", "Done. Notice how you feel.");
        showRate(Math.round((performance.now() - started) / 1000));
      }
    });
    show(false);
  }

  // ---- Rate again, copy -------------------------------------------------------------------

  const rate = document.querySelector("[data-rate]");
  if (rate && rate.hasAttribute("data-after-practice")) rate.hidden = true;

  function showRate(seconds) {
    if (!rate) return;
    const durationField = rate.querySelector("[data-duration-field]");
    // Only the duration is sent: the server takes the start as now minus it, since a device's
    // clock may be wrong.
    if (durationField) durationField.value = String(Math.max(0, seconds));
    rate.hidden = false;
    rate.focus();
  }

  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      const status = button.closest("section").querySelector("[data-copy-status]");
      const text = "value" in source ? source.value : source.textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
        if (status) status.textContent = button.dataset.copied;
      } catch (error) {
        if ("select" in source) source.select();
      }
    });
  });

  const breath = document.querySelector("[data-player]");
  if (breath) breathPlayer(breath);
  const stepsRoot = document.querySelector("[data-steps-player]");
  if (stepsRoot) stepsPlayer(stepsRoot);
})();
