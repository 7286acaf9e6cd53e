// The operator dashboard: signs in with the admin token and shows the platform through the management API only
// (/admin/v1, the same bearer auth as curl). It polls every POLL_MS with If-None-Match, so an unchanged answer is a
// bodiless 304 and its panel is not redrawn (docs/dashboard.md). Data is written into the page with textContent only.

const API = '/admin/v1'
const POLL_MS = 5000
const TOKEN_KEY = 'ocpi-edge.admin-token'
const TILE_KEY = 'ocpi-edge.tile-url'

/** EVSE statuses (mod_locations Status) by colour; a location shows its most pressing one (first match). */
const STATUS_GROUPS = [
  { name: 'out of order', colour: '#d73027', statuses: ['OUTOFORDER', 'INOPERATIVE'] },
  { name: 'available', colour: '#1a9850', statuses: ['AVAILABLE'] },
  { name: 'charging', colour: '#2c7fb8', statuses: ['CHARGING'] },
  { name: 'reserved / blocked', colour: '#f28e2b', statuses: ['RESERVED', 'BLOCKED'] },
  { name: 'other', colour: '#8c8c8c', statuses: ['PLANNED', 'REMOVED', 'UNKNOWN'] },
]
const groupOf = (status) => STATUS_GROUPS.find((group) => group.statuses.includes(status)) ?? STATUS_GROUPS.at(-1)

const $ = (selector) => document.querySelector(selector)

/** An element with attributes and children (strings become text nodes, never HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'class') element.className = value
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) element.append(child instanceof Node ? child : String(child))
  return element
}

class AuthError extends Error {}

// ---- management API, with ETags ----
const cache = new Map()

/** GET path: { body, changed }. A 304 gives the cached body with changed false. */
async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY)
  const cached = cache.get(path)
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' }
  if (cached) headers['If-None-Match'] = cached.etag
  const response = await fetch(`${API}${path}`, { headers, cache: 'no-store' })
  if (response.status === 401) throw new AuthError('The admin token was refused (HTTP 401).')
  if (response.status === 304 && cached) return { body: cached.body, changed: false }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
  const body = await response.json()
  const etag = response.headers.get('ETag')
  if (etag) cache.set(path, { etag, body })
  return { body, changed: true }
}

// ---- formatting ----
const pad = (number) => String(number).padStart(2, '0')
/** Local time as YYYY-MM-DD HH:MM:SS, the same in every browser locale. */
function time(iso) {
  if (!iso) return '–'
  const at = new Date(iso)
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
}
const ms = (value) => (value === null || value === undefined ? '–' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`)
const party = (object) => `${object.country_code}*${object.party_id}`
/** A 2.3.0 Price (before_taxes and taxes): the amount with taxes when they are given. */
function money(price, currency) {
  if (!price || price.before_taxes === undefined) return '–'
  const taxes = (price.taxes ?? []).reduce((sum, tax) => sum + Number(tax.amount ?? 0), 0)
  return `${(Number(price.before_taxes) + taxes).toFixed(2)} ${currency ?? ''}${price.taxes ? '' : ' before taxes'}`
}
const badge = (text, kind = text) => h('span', { class: `badge b-${String(kind).toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, text)
const emptyRow = (columns, text) => h('tr', {}, h('td', { colspan: columns, class: 'muted' }, text))
function fillTable(selector, rows, columns, emptyText) {
  const body = $(`${selector} tbody`)
  body.replaceChildren(...(rows.length > 0 ? rows : [emptyRow(columns, emptyText)]))
}

// ---- panels ----
let peerNames = new Map()

function renderPeers(peers, stats) {
  peerNames = new Map(peers.map((peer) => [peer.peer_id, peer.name ?? peer.peer_id.slice(0, 8)]))
  fillTable('#peers', peers.map((peer) => {
    const counters = stats.get(peer.peer_id)
    return h('tr', { 'data-peer': peer.peer_id },
      h('td', {}, h('strong', {}, peer.name ?? '(unnamed)'), h('br'), h('code', { class: 'muted' }, peer.peer_id)),
      h('td', {}, badge(peer.status)),
      h('td', {}, peer.version ?? '–'),
      h('td', {}, peer.roles.map((role) => h('div', {}, `${party(role)} ${role.role}`)), peer.pending_roles?.length ? h('div', { class: 'muted' }, `${peer.pending_roles.length} pending`) : null),
      h('td', { class: 'number' }, peer.outbox ? String(peer.outbox.depth) : '?', peer.outbox?.rejected ? h('div', { class: 'muted' }, `${peer.outbox.rejected} refused`) : null),
      h('td', { class: 'number' }, counters ? `${counters.requests}` : '–', counters?.errors ? h('div', { class: 'error' }, `${counters.errors} errors`) : null),
      h('td', { class: 'number' }, counters ? `${ms(counters.p50_ms)} / ${ms(counters.p99_ms)}` : '–'),
      h('td', {}, time(counters?.last_seen)),
      h('td', { class: 'error-text' }, peer.last_error ?? peer.outbox?.last_error ?? ''),
    )
  }), 9, 'No peers yet: POST /admin/v1/peers/invite or /peers/connect.')
}

function renderLocations(locations) {
  const counts = new Map()
  const rows = locations.map((location) => {
    const evses = location.evses ?? []
    for (const evse of evses) counts.set(groupOf(evse.status).name, (counts.get(groupOf(evse.status).name) ?? 0) + 1)
    return h('tr', { 'data-location': `${party(location)}*${location.id}` },
      h('td', {}, h('strong', {}, location.name ?? location.id), h('br'), h('code', { class: 'muted' }, location.id)),
      h('td', {}, party(location), location.source === 'received' ? h('div', { class: 'muted' }, 'received') : null),
      h('td', {}, location.city ?? ''),
      h('td', {}, evses.map((evse) => h('span', { class: `chip s-${groupOf(evse.status).statuses[0]}`, 'data-evse': `${location.id}/${evse.uid}`, title: evse.evse_id ?? evse.uid }, `${evse.uid}: ${evse.status}`))),
    )
  })
  fillTable('#locations', rows, 4, 'No locations.')
  $('#evse-summary').textContent = `${locations.length} locations · ` + STATUS_GROUPS.map((group) => `${counts.get(group.name) ?? 0} ${group.name}`).join(' · ')
  drawMarkers(locations)
}

function renderSessions(sessions) {
  fillTable('#sessions', sessions.map((session) => h('tr', { 'data-session': `${party(session)}*${session.id}` },
    h('td', {}, h('code', {}, session.id), h('div', { class: 'muted' }, `${party(session)} ${session.source}`)),
    h('td', {}, `${session.location_id} / ${session.evse_uid}`),
    h('td', {}, badge(session.status)),
    h('td', { class: 'number' }, `${Number(session.kwh).toFixed(2)} kWh`),
    h('td', { class: 'number' }, money(session.total_cost, session.currency)),
    h('td', {}, time(session.start_date_time)),
  )), 6, 'No sessions.')
}

function renderJobs(jobs) {
  fillTable('#jobs', jobs.map((job) => {
    const counts = Object.entries(job.progress ?? {}).filter(([, value]) => typeof value !== 'object').map(([name, value]) => `${name.replace(/_/g, ' ')}: ${value}`)
    const total = Number(job.progress?.total)
    const done = Number(job.progress?.done ?? job.progress?.processed ?? job.progress?.pulled ?? job.progress?.imported)
    const bar = job.status === 'RUNNING'
      ? (total > 0 && done >= 0 ? h('progress', { max: total, value: done }) : h('progress', {}))
      : h('progress', { max: 1, value: 1, class: `p-${job.status.toLowerCase()}` })
    return h('tr', { 'data-job': job.job_id },
      h('td', {}, job.kind, h('div', { class: 'muted' }, h('code', {}, job.job_id))),
      h('td', {}, badge(job.status), job.last_error ? h('div', { class: 'error-text' }, job.last_error) : null),
      h('td', {}, bar, h('div', { class: 'muted small' }, counts.join(' · '))),
      h('td', {}, time(job.started_at)),
    )
  }), 4, 'No background jobs started yet.')
}

function renderCommands(commands) {
  fillTable('#commands', commands.map((command) => h('tr', {},
    h('td', {}, command.command), h('td', {}, command.side), h('td', {}, peerNames.get(command.peer_id) ?? command.peer_id),
    h('td', {}, badge(command.state)), h('td', {}, time(command.last_updated)),
  )), 5, 'No commands in the last 24 hours.')
}

function renderRefused(pushes) {
  fillTable('#refused', pushes.map((push) => h('tr', {},
    h('td', {}, time(push.at)), h('td', {}, push.peer_name ?? peerNames.get(push.peer_id) ?? push.peer_id),
    h('td', {}, `${push.method} ${push.object_key}`), h('td', { class: 'error-text' }, push.error),
  )), 4, 'No refused pushes.')
}

function renderAudit(entries) {
  fillTable('#audit', entries.map((entry) => h('tr', {},
    h('td', {}, time(entry.at)), h('td', {}, entry.actor), h('td', {}, h('code', {}, entry.action)), h('td', {}, entry.subject ?? ''),
  )), 4, 'No audit entries.')
}

// ---- map ----
let map
let markerLayer
let gridLayer
let tileLayer
let fitted = false

function setUpMap() {
  if (map || !window.L) return
  map = L.map('map', { zoomControl: true, attributionControl: true, worldCopyJump: true }).setView([51, 6], 5)
  gridLayer = L.layerGroup().addTo(map)
  markerLayer = L.layerGroup().addTo(map)
  map.on('moveend', drawGrid)
  map.on('mousemove', (event) => ($('#cursor').textContent = `${event.latlng.lat.toFixed(4)}, ${event.latlng.lng.toFixed(4)}`))
  applyTiles(localStorage.getItem(TILE_KEY) ?? '')
  drawGrid()
  $('#legend').replaceChildren(...STATUS_GROUPS.map((group) => h('li', {}, h('span', { class: `dot s-${group.statuses[0]}` }), group.name)))
}

/** Without tiles (offline, or none configured) the map is a latitude/longitude grid: lines at a step that suits the zoom. */
function drawGrid() {
  if (!map) return
  gridLayer.clearLayers()
  const bounds = map.getBounds()
  const span = Math.max(bounds.getNorth() - bounds.getSouth(), 1e-6)
  const step = [10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001].find((candidate) => span / candidate >= 4) ?? 0.001
  const style = { color: '#b8c4d0', weight: 1, interactive: false }
  for (let lat = Math.ceil(bounds.getSouth() / step) * step; lat <= bounds.getNorth(); lat += step) {
    gridLayer.addLayer(L.polyline([[lat, bounds.getWest()], [lat, bounds.getEast()]], style))
  }
  for (let lng = Math.ceil(bounds.getWest() / step) * step; lng <= bounds.getEast(); lng += step) {
    gridLayer.addLayer(L.polyline([[bounds.getSouth(), lng], [bounds.getNorth(), lng]], style))
  }
}

function applyTiles(url) {
  if (!map) return
  if (tileLayer) tileLayer.remove()
  tileLayer = undefined
  $('#map').classList.toggle('no-tiles', !url)
  if (url) tileLayer = L.tileLayer(url, { maxZoom: 19, attribution: new URL(url.replace(/[{}]/g, ''), location.href).host }).addTo(map)
}

function drawMarkers(locations) {
  setUpMap()
  if (!map) return
  markerLayer.clearLayers()
  const points = []
  for (const location of locations) {
    const lat = Number(location.coordinates?.latitude)
    const lng = Number(location.coordinates?.longitude)
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) continue
    const statuses = (location.evses ?? []).map((evse) => evse.status)
    const group = STATUS_GROUPS.find((candidate) => statuses.some((status) => candidate.statuses.includes(status))) ?? STATUS_GROUPS.at(-1)
    const popup = h('div', {}, h('strong', {}, location.name ?? location.id), h('div', {}, `${location.address ?? ''}, ${location.city ?? ''}`),
      h('ul', {}, (location.evses ?? []).map((evse) => h('li', {}, `${evse.uid}: ${evse.status}`))))
    const marker = L.circleMarker([lat, lng], { radius: 8, color: '#1f2d3d', weight: 1, fillColor: group.colour, fillOpacity: 0.9 })
    marker.bindPopup(popup).bindTooltip(location.name ?? location.id)
    markerLayer.addLayer(marker)
    points.push([lat, lng])
  }
  if (!fitted && points.length > 0) {
    map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 14 })
    fitted = true
  }
}

// ---- polling ----
let timer
let signedIn = false

async function refresh() {
  clearTimeout(timer)
  try {
    const dayAgo = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000).toISOString()
    const [peers, own, received, sessions, jobs, commands, refused, audit] = await Promise.all([
      api('/peers'), api('/locations?source=own&limit=1000'), api('/locations?source=received&limit=1000'),
      api('/live-sessions?finished=5'), api('/jobs?limit=10'), api(`/commands?date_from=${encodeURIComponent(dayAgo)}&limit=1000`),
      api('/refused-pushes?limit=20'), api('/audit?limit=20'),
    ])
    const stats = new Map(await Promise.all(peers.body.filter((peer) => peer.status !== 'PENDING').map(async (peer) =>
      [peer.peer_id, (await api(`/peers/${encodeURIComponent(peer.peer_id)}/stats`).catch(() => ({ body: undefined }))).body])))
    renderPeers(peers.body, stats)
    if (own.changed || received.changed) {
      const locations = [...own.body.map((location) => ({ ...location, source: 'own' })), ...received.body.map((location) => ({ ...location, source: 'received' }))]
      renderLocations(locations.sort((x, y) => `${party(x)}*${x.id}`.localeCompare(`${party(y)}*${y.id}`)))
    }
    if (sessions.changed) renderSessions(sessions.body)
    if (jobs.changed) renderJobs(jobs.body)
    renderCommands(commands.body.slice(-10).reverse())
    renderRefused(refused.body)
    if (audit.changed) renderAudit(audit.body)
    $('#freshness').textContent = `Updated ${new Date().toLocaleTimeString()} · refreshed every ${POLL_MS / 1000} s`
    $('#freshness').classList.remove('error')
  } catch (error) {
    if (error instanceof AuthError) return signOut(`${error.message} Sign in again.`)
    $('#freshness').textContent = `Update failed: ${error.message}; retrying`
    $('#freshness').classList.add('error')
  }
  if (signedIn) timer = setTimeout(refresh, POLL_MS)
}

function showDashboard() {
  signedIn = true
  $('#sign-in').hidden = true
  $('#dashboard').hidden = false
  $('#sign-out').hidden = false
  setUpMap()
  map?.invalidateSize()
  refresh()
}

function signOut(message) {
  signedIn = false
  clearTimeout(timer)
  sessionStorage.removeItem(TOKEN_KEY)
  cache.clear()
  $('#dashboard').hidden = true
  $('#sign-out').hidden = true
  $('#sign-in').hidden = false
  for (const table of document.querySelectorAll('main tbody')) table.replaceChildren()
  $('#freshness').textContent = ''
  const error = $('#sign-in-error')
  error.hidden = !message
  error.textContent = message ?? ''
}

$('#sign-in').addEventListener('submit', async (event) => {
  event.preventDefault()
  const token = $('#token').value.trim()
  sessionStorage.setItem(TOKEN_KEY, token)
  try {
    await api('/parties')
    $('#token').value = ''
    $('#sign-in-error').hidden = true
    $('#sign-in-error').textContent = ''
    showDashboard()
  } catch (error) {
    signOut(error instanceof AuthError ? error.message : `Could not reach the management API: ${error.message}`)
  }
})
$('#sign-out').addEventListener('click', () => signOut())
$('#tile-url').value = localStorage.getItem(TILE_KEY) ?? ''
$('#tile-url').addEventListener('change', (event) => {
  const url = event.target.value.trim()
  if (url && !/^https:\/\/.*\{z\}.*\{x\}.*\{y\}/.test(url)) return event.target.setCustomValidity('An https URL with {z}, {x} and {y}')
  event.target.setCustomValidity('')
  localStorage.setItem(TILE_KEY, url)
  applyTiles(url)
})

if (sessionStorage.getItem(TOKEN_KEY)) showDashboard()
