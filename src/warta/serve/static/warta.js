// Warta's reader: the follow star without a page load, and times in the reader's own time zone.
// Everything works without this script: the star is a plain form, times show the publisher's offset.
"use strict";

function setStars(selector, followed) {
  document.querySelectorAll(selector).forEach((form) => {
    const button = form.querySelector("button");
    const name = button.title.replace(/^(Unfollow|Follow) /, "");
    form.querySelector("input[name=followed]").value = followed ? "0" : "1";
    button.setAttribute("aria-pressed", followed ? "true" : "false");
    button.title = `${followed ? "Unfollow" : "Follow"} ${name}`;
    button.querySelector(".icon").textContent = followed ? "★" : "☆";
    button.querySelector(".label").textContent = followed ? "Following" : "Follow";
  });
}

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.star");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    // A star follows a publisher or a story: every star for the same one on the page changes with it.
    const selector = state.story_id !== undefined
      ? `form.star[data-story="${state.story_id}"]`
      : `form.star[data-publisher="${state.publisher_id}"]`;
    setStars(selector, state.followed);
  } catch (error) {
    form.submit(); // fall back to the plain form
  } finally {
    button.disabled = false;
  }
});

function localTimes() {
  const format = new Intl.DateTimeFormat(undefined, {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  document.querySelectorAll("time[data-local]").forEach((time) => {
    const moment = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(moment.getTime())) return;
    const original = time.textContent.trim();
    const local = format.format(moment);
    time.title = `Published ${original} (publisher's time)`;
    // Lists show the reader's time; the article page shows both.
    if (time.closest(".byline")) {
      const span = document.createElement("span");
      span.className = "local";
      span.textContent = `your time: ${local}`;
      time.after(span);
    } else {
      time.textContent = local;
    }
  });
}

document.addEventListener("DOMContentLoaded", localTimes);
