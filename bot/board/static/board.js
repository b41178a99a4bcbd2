// The pipeline board (issue 16): stages as columns, items as cards, drag a card to move it.
// Every request carries Telegram's signed initData ("Authorization: tma <initData>"); the
// server checks it and everything else again. Every text comes from the server's "texts"
// map (translated there); the only texts written here are for when the server cannot be
// reached at all. Data is put in the page with textContent only, never as HTML.
(function () {
  "use strict";

  var webApp = (window.Telegram && window.Telegram.WebApp) || null;
  var PAGE_SIZE = 30;
  var SEARCH_DELAY_MS = 300;
  var NETWORK_FAILURE = {
    de: "Keine Verbindung zum Server – bitte später erneut versuchen.",
    en: "The server cannot be reached – please try again later.",
  };

  var state = {
    texts: {},
    language: null, // known once the server said it
    plurals: null,
    canSeeAll: false,
    pipelines: [],
    defaultPipelineId: null,
    pipelineId: null,
    scope: "mine",
    query: "",
    loadSeq: 0, // answers of an older board load are dropped
    pressedAt: null, // where the pointer went down on a card
    justDropped: false, // the click that may end a drag is not a tap on the card
  };

  var $ = function (id) { return document.getElementById(id); };

  // --- texts ---------------------------------------------------------------------------

  function fill(text, params) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      return params && Object.prototype.hasOwnProperty.call(params, name)
        ? String(params[name]) : whole;
    });
  }

  function t(key, params) {
    var text = Object.prototype.hasOwnProperty.call(state.texts, key) ? state.texts[key] : key;
    return fill(text, params);
  }

  function tn(key, n) {
    var form = "other";
    try {
      state.plurals = state.plurals || new Intl.PluralRules(state.language || "en");
      form = state.plurals.select(n) === "one" ? "one" : "other";
    } catch (e) { form = n === 1 ? "one" : "other"; }
    return t(key + "_" + form, { count: n, n: n });
  }

  function networkFailure() {
    var lang = state.language || (navigator.language || "en").slice(0, 2);
    return NETWORK_FAILURE[lang] || NETWORK_FAILURE.en;
  }

  function applyTexts() {
    document.documentElement.lang = state.language;
    document.title = t("title");
    document.querySelectorAll("[data-text]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-text"));
    });
    document.querySelectorAll("[data-title]").forEach(function (node) {
      node.title = t(node.getAttribute("data-title"));
      node.setAttribute("aria-label", node.title);
    });
    document.querySelectorAll(".placeholder").forEach(function (node) {
      node.textContent = t("loading");
    });
    $("search").placeholder = t("search");
    $("lost-other").placeholder = t("lost_reason_placeholder");
  }

  // --- Telegram ------------------------------------------------------------------------

  function applyTheme() {
    // telegram-web-app.js sets these itself; setting them here as well keeps the page right
    // with older clients and stand-ins.
    var params = (webApp && webApp.themeParams) || {};
    var root = document.documentElement;
    Object.keys(params).forEach(function (key) {
      if (typeof params[key] === "string") {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), params[key]);
      }
    });
    var scheme = webApp && webApp.colorScheme;
    if (!scheme && window.matchMedia) {
      scheme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    }
    root.setAttribute("data-scheme", scheme === "dark" ? "dark" : "light");
  }

  function initData() {
    return (webApp && webApp.initData) || "";
  }

  function haptic(kind) {
    try {
      if (webApp && webApp.HapticFeedback) { webApp.HapticFeedback.notificationOccurred(kind); }
    } catch (e) { /* haptics are a nicety */ }
  }

  // --- the API -------------------------------------------------------------------------

  // Resolves to {status, body}; rejects only when the server cannot be reached.
  function api(path, payload) {
    var options = { headers: { Authorization: "tma " + initData() }, cache: "no-store" };
    if (payload !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch("api/" + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body || {} };
      });
    });
  }

  function query(params) {
    return Object.keys(params).filter(function (key) {
      return params[key] !== null && params[key] !== undefined && params[key] !== "";
    }).map(function (key) {
      return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
    }).join("&");
  }

  var STATUS_TEXTS = { 401: "unauthorized", 403: "forbidden", 409: "stale" };

  function messageOf(answer) {
    return (answer.body && answer.body.message) || t(STATUS_TEXTS[answer.status] || "error");
  }

  // --- notices -------------------------------------------------------------------------

  var noticeTimer = null;

  function notify(text, isError) {
    var notice = $("notice");
    notice.textContent = text;
    notice.className = "notice" + (isError ? " error" : "");
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.hidden = true; }, isError ? 8000 : 5000);
  }

  function fatal(text) {
    document.body.setAttribute("data-state", "error");
    var board = $("board");
    board.replaceChildren(element("p", "fatal", text));
    board.setAttribute("aria-busy", "false");
  }

  // --- building blocks -----------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function cardElement(card) {
    var node = element("div", "card" + (card.automation_failed ? " failed" : ""));
    node.setAttribute("data-item-id", card.id);
    node.setAttribute("data-version", card.version);
    node.setAttribute("data-stage-id", card.stage_id);
    node.appendChild(element("div", "card-title", card.title));
    if (card.automation_failed) {
      var mark = element("span", "card-mark", "⚠️");
      mark.title = t("automation_failed");
      mark.setAttribute("aria-label", t("automation_failed"));
      node.appendChild(mark);
    }
    if (card.amount) { node.appendChild(element("div", "card-amount", card.amount)); }
    if (card.contact) { node.appendChild(element("div", "card-line contact", card.contact)); }
    if (card.responsible) {
      node.appendChild(element("div", "card-line responsible", "👤 " + card.responsible));
    }
    node.appendChild(element("div", "card-line days",
                             card.days_text || tn("days_in_stage", card.days_in_stage)));
    return node;
  }

  function columnElement(column) {
    var stage = column.stage;
    var node = element("section", "column kind-" + stage.kind);
    node.setAttribute("data-stage-id", stage.id);
    var head = element("div", "column-head");
    var name = element("div", "column-name");
    name.appendChild(element("span", "name", stage.name));
    name.appendChild(element("span", "column-count", column.count));
    head.appendChild(name);
    head.appendChild(element("div", "column-sum", column.sum || ""));
    node.appendChild(head);

    var cards = element("div", "cards");
    cards.setAttribute("data-stage-id", stage.id);
    column.cards.forEach(function (card) { cards.appendChild(cardElement(card)); });
    cards.appendChild(element("div", "empty", t("empty")));
    node.appendChild(cards);

    var more = element("button", "more", t("more"));
    more.type = "button";
    more.hidden = !column.next;
    more.setAttribute("data-next", column.next || "");
    more.addEventListener("click", function () { loadMore(stage.id, cards, more); });
    node.appendChild(more);
    makeDroppable(cards);
    return node;
  }

  // --- loading -------------------------------------------------------------------------

  function boardQuery() {
    return query({ pipeline_id: state.pipelineId, scope: state.scope, q: state.query,
                   limit: PAGE_SIZE });
  }

  function loadBoard() {
    var seq = ++state.loadSeq;
    var board = $("board");
    board.setAttribute("aria-busy", "true");
    document.body.setAttribute("data-state", "loading");
    return api("board?" + boardQuery()).then(function (answer) {
      if (seq !== state.loadSeq) { return; }
      if (answer.status !== 200) {
        if (answer.status === 401 || answer.status === 403) { fatal(messageOf(answer)); }
        else { document.body.setAttribute("data-state", "ready"); notify(messageOf(answer), true); }
        board.setAttribute("aria-busy", "false");
        return;
      }
      var scrolled = board.scrollLeft;
      board.replaceChildren.apply(board, answer.body.columns.map(columnElement));
      board.scrollLeft = scrolled;
      board.setAttribute("aria-busy", "false");
      document.body.setAttribute("data-state", "ready");
    }, function () {
      if (seq !== state.loadSeq) { return; }
      board.setAttribute("aria-busy", "false");
      document.body.setAttribute("data-state", "ready");
      notify(networkFailure(), true);
    });
  }

  function loadMore(stageId, cards, button) {
    button.disabled = true;
    api("column?" + query({ pipeline_id: state.pipelineId, stage_id: stageId,
                            scope: state.scope, q: state.query,
                            after: button.getAttribute("data-next"),
                            limit: PAGE_SIZE })).then(function (answer) {
      button.disabled = false;
      if (answer.status !== 200) { notify(messageOf(answer), true); return; }
      var empty = cards.querySelector(".empty");
      answer.body.cards.forEach(function (card) {
        if (!cards.querySelector('.card[data-item-id="' + card.id + '"]')) {
          cards.insertBefore(cardElement(card), empty);
        }
      });
      button.setAttribute("data-next", answer.body.next || "");
      button.hidden = !answer.body.next;
    }, function () { button.disabled = false; notify(networkFailure(), true); });
  }

  // --- moving --------------------------------------------------------------------------

  function makeDroppable(cards) {
    if (!window.Sortable) { return; }
    window.Sortable.create(cards, {
      group: "board",
      sort: false, // the order within a column is the server's
      draggable: ".card",
      filter: ".pending",
      forceFallback: true, // the same pointer-driven drag for mouse and touch, in every webview
      fallbackTolerance: 4,
      delay: 180, // on touch, a short hold starts a drag and a swipe still scrolls the board
      delayOnTouchOnly: true,
      touchStartThreshold: 6, // a finger trembles a little while it holds
      animation: 120,
      emptyInsertThreshold: 40,
      onChoose: function (event) { state.pressedAt = pointOf(event.originalEvent); },
      onEnd: function (event) { // also after a mere tap: that is no drag
        if (event.from === event.to && !movedFrom(state.pressedAt, event.originalEvent)) {
          return;
        }
        // Until that click, if one comes with the release; the next press starts a tap of
        // its own, however soon after (the timer is for a click with no press: keyboard).
        state.justDropped = true;
        setTimeout(function () { state.justDropped = false; }, 100);
        // SortableJS swallows the click after a drag, but when the drag ends where no click
        // follows it waits for the next one: the next tap on a card. A click of our own, on
        // the document only, is the one it swallows.
        document.dispatchEvent(new MouseEvent("click"));
        onDrop(event);
      },
    });
  }

  function pointOf(event) {
    var touch = event && event.changedTouches && event.changedTouches[0];
    var source = touch || event;
    return source && typeof source.clientX === "number"
      ? { x: source.clientX, y: source.clientY } : null;
  }

  function movedFrom(start, event) {
    var end = pointOf(event);
    return !start || !end || Math.abs(end.x - start.x) + Math.abs(end.y - start.y) > 8;
  }

  function putBack(drop) {
    var from = drop.from;
    from.insertBefore(drop.item, from.querySelectorAll(".card")[drop.oldIndex] ||
                      from.querySelector(".empty"));
  }

  function onDrop(event) {
    if (event.from === event.to) { return; }
    var item = event.item;
    var drop = { item: item, from: event.from, oldIndex: event.oldDraggableIndex };
    var stageId = Number(event.to.getAttribute("data-stage-id"));
    // the empty marker stays last, so "no items" hides behind the dropped card
    event.to.appendChild(event.to.querySelector(".empty"));
    move(drop, {
      item_id: Number(item.getAttribute("data-item-id")),
      stage_id: stageId,
      version: Number(item.getAttribute("data-version")),
    });
  }

  function move(drop, payload) {
    drop.item.classList.add("pending");
    return api("move", payload).then(function (answer) {
      drop.item.classList.remove("pending");
      var body = answer.body;
      if (answer.status === 200) {
        haptic("success");
        var moved = cardElement(body.card);
        drop.item.replaceWith(moved);
        var said = body.message ||
          t("moved", { stage: stageName(body.card.stage_id), title: body.card.title });
        var lines = [said].concat(
          (body.automation || []).map(function (run) { return run.mark + " " + run.text; }));
        notify(lines.join("\n"), false);
        return loadBoard(); // counts, sums and order as the server has them
      }
      haptic("error");
      if (answer.status === 409) { // stale: someone moved or changed it meanwhile
        notify(messageOf(answer), true);
        return loadBoard();
      }
      if (answer.status === 422 && body.error === "lost_reason_required") {
        return askLostReason(body).then(function (reason) {
          if (reason === null) { putBack(drop); return; }
          payload.lost_reason = reason;
          return move(drop, payload);
        });
      }
      if (answer.status === 422 && body.error === "reopen_confirmation_required") {
        return confirmReopen(body).then(function (confirmed) {
          if (!confirmed) { putBack(drop); return; }
          payload.reopen = true;
          return move(drop, payload);
        });
      }
      putBack(drop); // forbidden, unauthorized or another refusal: nothing changed
      notify(messageOf(answer), true);
    }, function () {
      drop.item.classList.remove("pending");
      putBack(drop);
      notify(networkFailure(), true);
    });
  }

  function stageName(stageId) {
    var column = document.querySelector('.column[data-stage-id="' + stageId + '"] .name');
    return column ? column.textContent : "";
  }

  // Resolves to the reason chosen or typed, or null when the user cancels.
  function askLostReason(body) {
    var dialog = $("lost");
    var reasons = $("lost-reasons");
    var other = $("lost-other");
    $("lost-message").textContent = body.message || t("lost_reason_prompt");
    reasons.replaceChildren();
    other.value = "";
    return new Promise(function (resolve) {
      function done(reason) {
        dialog.onclose = null;
        if (dialog.open) { dialog.close(); }
        resolve(reason);
      }
      (body.reasons || []).forEach(function (reason) {
        var button = element("button", "reason", reason);
        button.type = "button";
        button.addEventListener("click", function () { done(reason); });
        reasons.appendChild(button);
      });
      $("lost-form").onsubmit = function (submit) {
        submit.preventDefault();
        var typed = other.value.trim();
        if (typed) { done(typed); } else { other.focus(); }
      };
      $("lost-cancel").onclick = function () { done(null); };
      dialog.onclose = function () { done(null); };
      dialog.showModal();
    });
  }

  // Resolves to true when the user confirms reopening a won item.
  function confirmReopen(body) {
    var dialog = $("confirm");
    $("confirm-message").textContent = body.message || t("reopen_prompt");
    return new Promise(function (resolve) {
      function done(confirmed) {
        dialog.onclose = null;
        if (dialog.open) { dialog.close(); }
        resolve(confirmed);
      }
      $("confirm-ok").onclick = function () { done(true); };
      $("confirm-cancel").onclick = function () { done(false); };
      dialog.onclose = function () { done(false); };
      dialog.showModal();
    });
  }

  // --- details -------------------------------------------------------------------------

  function showDetails(itemId) {
    api("item?" + query({ id: itemId })).then(function (answer) {
      if (answer.status !== 200) { notify(messageOf(answer), true); return; }
      renderDetails(answer.body);
      $("details").showModal();
      if (webApp && webApp.BackButton) { webApp.BackButton.show(); }
    }, function () { notify(networkFailure(), true); });
  }

  function section(title, content) {
    var wrap = element("section");
    wrap.appendChild(element("h3", "", title));
    wrap.appendChild(content);
    return wrap;
  }

  function renderDetails(item) {
    $("details-title").textContent = item.title;
    var body = $("details-body");
    body.replaceChildren();

    var facts = element("dl", "fields");
    var pairs = [{ label: t("stage"), value: item.stage }];
    if (item.contact) { pairs.push({ label: t("contact"), value: item.contact }); }
    pairs.concat(item.fields || []).forEach(function (field) {
      facts.appendChild(element("dt", "", field.label));
      facts.appendChild(element("dd", "", field.value));
    });
    body.appendChild(section(t("fields"), facts));

    var automation = element("ul", "automation");
    (item.automation || []).forEach(function (run) {
      automation.appendChild(element("li", "", run.mark + " " + run.text));
    });
    if (!automation.childElementCount) {
      automation.appendChild(element("li", "hint", t("automation_none")));
    }
    body.appendChild(section(t("automation"), automation));

    if ((item.history || []).length) {
      var history = element("ul", "history");
      item.history.forEach(function (entry) {
        var line = element("li");
        line.appendChild(element("time", "", entry.at));
        line.appendChild(document.createTextNode(entry.text));
        history.appendChild(line);
      });
      body.appendChild(section(t("history"), history));
    }

    var link = item.chat_link || "";
    var isLink = /^https:\/\/t\.me\//.test(link);
    var open = $("details-open");
    var hint = $("details-hint");
    open.hidden = !isLink;
    hint.hidden = isLink || !link;
    hint.textContent = isLink ? "" : link;
    open.onclick = function () {
      if (webApp && webApp.openTelegramLink) { webApp.openTelegramLink(link); }
      else { window.open(link, "_blank"); }
    };
  }

  function closeDetails() {
    var dialog = $("details");
    if (dialog.open) { dialog.close(); }
  }

  // --- the bar -------------------------------------------------------------------------

  function rememberPipeline(id) {
    try { window.localStorage.setItem("board.pipeline", String(id)); } catch (e) { /* private */ }
  }

  function rememberedPipeline() {
    try { return Number(window.localStorage.getItem("board.pipeline")) || null; }
    catch (e) { return null; }
  }

  function buildBar() {
    var select = $("pipeline");
    select.replaceChildren();
    var groups = {};
    state.pipelines.forEach(function (pipeline) {
      var group = groups[pipeline.type_code];
      if (!group) {
        group = groups[pipeline.type_code] = element("optgroup");
        group.label = pipeline.type_name;
        select.appendChild(group);
      }
      var option = element("option", "", pipeline.name);
      option.value = pipeline.id;
      group.appendChild(option);
    });
    var known = function (id) {
      return state.pipelines.some(function (pipeline) { return pipeline.id === id; });
    };
    var wanted = [rememberedPipeline(), state.defaultPipelineId].filter(known);
    state.pipelineId = wanted.length ? wanted[0] : state.pipelines[0].id;
    select.value = String(state.pipelineId);
    select.hidden = false;
    select.addEventListener("change", function () {
      state.pipelineId = Number(select.value);
      rememberPipeline(state.pipelineId);
      loadBoard();
    });

    var scope = $("scope");
    scope.hidden = !state.canSeeAll;
    state.scope = state.canSeeAll ? "all" : "mine";
    markScope();
    scope.addEventListener("click", function (click) {
      var chosen = click.target.getAttribute && click.target.getAttribute("data-scope");
      if (!chosen || chosen === state.scope) { return; }
      state.scope = chosen;
      markScope();
      loadBoard();
    });

    var search = $("search");
    var timer = null;
    search.hidden = false;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        state.query = search.value.trim();
        loadBoard();
      }, SEARCH_DELAY_MS);
    });

    var refresh = $("refresh");
    refresh.hidden = false;
    refresh.addEventListener("click", loadBoard);
  }

  function markScope() {
    document.querySelectorAll("#scope [data-scope]").forEach(function (button) {
      button.setAttribute("aria-checked", String(button.getAttribute("data-scope") === state.scope));
    });
  }

  // --- start ---------------------------------------------------------------------------

  function start() {
    applyTheme();
    if (webApp) {
      webApp.ready();
      webApp.expand();
      // a vertical drag must move a card, not close the app (Bot API 7.7)
      if (webApp.disableVerticalSwipes) { webApp.disableVerticalSwipes(); }
      if (webApp.onEvent) {
        webApp.onEvent("themeChanged", applyTheme);
        webApp.onEvent("backButtonClicked", closeDetails);
      }
    }
    $("details").addEventListener("close", function () {
      if (webApp && webApp.BackButton) { webApp.BackButton.hide(); }
    });
    document.querySelectorAll("dialog [data-close]").forEach(function (button) {
      button.addEventListener("click", closeDetails);
    });
    $("notice").addEventListener("click", function () { $("notice").hidden = true; });
    document.addEventListener("pointerdown", function () { state.justDropped = false; }, true);
    $("board").addEventListener("click", function (click) {
      var card = click.target.closest && click.target.closest(".card");
      if (state.justDropped) { state.justDropped = false; return; }
      if (card && !card.classList.contains("pending")) {
        showDetails(card.getAttribute("data-item-id"));
      }
    });

    api("bootstrap").then(function (answer) {
      if (answer.status !== 200) {
        fatal((answer.body && answer.body.message) || networkFailure());
        return;
      }
      var boot = answer.body;
      state.texts = boot.texts || {};
      state.language = boot.language || "en";
      state.canSeeAll = Boolean(boot.can_see_all);
      state.pipelines = boot.pipelines || [];
      state.defaultPipelineId = boot.default_pipeline_id || null;
      applyTexts();
      if (!state.pipelines.length) { fatal(t("no_pipelines")); return; }
      buildBar();
      return loadBoard();
    }, function () { fatal(networkFailure()); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
