// kickcoach page helpers (loaded once in the page head; no network beyond this server).
// 1. "Log out" leaves in this tab, not a new one.
// 2. What you type in a message box is kept for this tab (sessionStorage), so a tab whose login has ended
//    sends you to the login page and, once you are back, puts your unsent text back in its box.
(() => {
  const BOXES = ["chat-input", "rehearse-input"];
  const SENDS = {"chat-send": "chat-input", "rehearse-send": "rehearse-input"};
  const key = (id) => `kickcoach-draft:${id}`;
  const boxOf = (el) => el && el.closest && BOXES.map((id) => el.closest(`#${id}`)).find(Boolean);
  const loggedIn = async () => {
    try {
      const r = await fetch(new URL("config", document.baseURI), {credentials: "same-origin", cache: "no-store"});
      if (!r.ok) return false;
      const config = await r.json();
      return !config.auth_required;
    } catch (e) {
      return true; // the server is unreachable: not a logout; the page shows its own error
    }
  };
  const toLogin = () => { window.location.href = new URL("./", document.baseURI).href; };

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href$="/logout"], a[href="logout"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  }, true);

  document.addEventListener("input", (event) => {
    const box = boxOf(event.target);
    if (box && event.target.tagName === "TEXTAREA") sessionStorage.setItem(key(box.id), event.target.value);
  }, true);

  const checkBeforeSending = async (boxId) => {
    if (await loggedIn()) {
      sessionStorage.removeItem(key(boxId)); // sent: the box itself keeps it until the turn is saved
    } else {
      toLogin();
    }
  };
  document.addEventListener("click", (event) => {
    const send = event.target.closest && Object.keys(SENDS).map((id) => event.target.closest(`#${id}`)).find(Boolean);
    if (send) checkBeforeSending(SENDS[send.id]);
  }, true);
  document.addEventListener("keydown", (event) => {
    const box = boxOf(event.target);
    if (box && event.key === "Enter" && !event.shiftKey) checkBeforeSending(box.id);
  }, true);

  // 3. Tabs not for this person's role are hidden (the server names them in #kick-tabs): Gradio 6 keeps
  //    showing a Tab whose visible is False. The server refuses their actions anyway.
  const hideTabs = () => {
    const marker = document.querySelector("#kick-tabs [data-hidden]");
    if (!marker) return;
    const hidden = new Set(marker.dataset.hidden.split("|").filter(Boolean));
    for (const button of document.querySelectorAll(".tab-wrapper button")) {
      const hide = hidden.has(button.innerText.trim());
      if ((button.style.display === "none") !== hide) button.style.display = hide ? "none" : "";
    }
  };
  new MutationObserver(hideTabs).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

  // Back after a login: put unsent text back into its (empty) box.
  const restore = () => {
    for (const id of BOXES) {
      const saved = sessionStorage.getItem(key(id));
      const area = document.querySelector(`#${id} textarea`);
      if (saved && area && !area.value) {
        area.value = saved;
        area.dispatchEvent(new Event("input", {bubbles: true}));
      }
    }
  };
  let tries = 0;
  const wait = setInterval(() => {
    tries += 1;
    if (document.querySelector("#chat-input textarea") || tries > 120) {
      clearInterval(wait);
      setTimeout(restore, 300);
    }
  }, 250);
})();
