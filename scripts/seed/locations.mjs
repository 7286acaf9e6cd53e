// Demo locations of the hosted CPO NL*ECO (EcoCharge Netherlands), written through the management API: stored, then
// pushed to connected peers per the party's sharing policy. Fixed last_updated values keep re-seeding idempotent.
// See docs/locations.md.

const ECO = { country_code: 'NL', party_id: 'ECO' }
const LAST_UPDATED = '2026-01-10T09:00:00Z'
const operator = { name: 'EcoCharge Netherlands B.V.', website: 'https://ecocharge.example.nl' }
const weekdays = (begin, end, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, period_begin: begin, period_end: end }))
const greenMix = { is_green_energy: true, energy_sources: [{ source: 'WIND', percentage: 70 }, { source: 'SOLAR', percentage: 30 }], supplier_name: 'Vandebron' }

const ac22 = (id) => ({ id, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['ECO-AC'], last_updated: LAST_UPDATED })
const dc150 = (id, standard = 'IEC_62196_T2_COMBO') => ({ id, standard, format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 375, max_electric_power: 150000, tariff_ids: ['ECO-DC'], last_updated: LAST_UPDATED })

/** EVSE `n` of location number `site` (E0001...): evse_id NL*ECO*E0001*1 per the eMI3 EVSE ID format. */
function evse(site, n, kind, extra = {}) {
  const station = `E${String(site).padStart(4, '0')}`
  const connectors = kind === 'DC' ? [dc150('1'), dc150('2', 'CHADEMO')] : [ac22('1')]
  const capabilities = kind === 'DC'
    ? ['REMOTE_START_STOP_CAPABLE', 'RFID_READER', 'CONTACTLESS_CARD_SUPPORT', 'CREDIT_CARD_PAYABLE', 'DEBIT_CARD_PAYABLE']
    : ['REMOTE_START_STOP_CAPABLE', 'RFID_READER', 'RESERVABLE', 'UNLOCK_CAPABLE']
  return { uid: `${station}-${n}`, evse_id: `NL*ECO*${station}*${n}`, status: 'AVAILABLE', capabilities, connectors, physical_reference: `${site}-${n}`, last_updated: LAST_UPDATED, ...extra }
}

function location(site, fields, evses) {
  return {
    ...ECO, id: `ECO-${String(site).padStart(4, '0')}`, publish: true, country: 'NLD', time_zone: 'Europe/Amsterdam', operator,
    energy_mix: greenMix, help_phone: '+31201234567', evses, last_updated: LAST_UPDATED, ...fields,
  }
}

export const DEMO_LOCATIONS = [
  location(1, {
    name: 'Amsterdam Centraal P+R', address: 'Stationsplein 10', city: 'Amsterdam', postal_code: '1012 AB',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, parking_type: 'PARKING_GARAGE', facilities: ['TRAIN_STATION', 'CAFE'],
    opening_times: { twentyfourseven: true },
  }, [evse(1, 1, 'AC'), evse(1, 2, 'AC'), evse(1, 3, 'DC')]),
  location(2, {
    name: 'Zuidas Office Park', address: 'Gustav Mahlerlaan 300', city: 'Amsterdam', postal_code: '1082 ME',
    coordinates: { latitude: '52.338260', longitude: '4.872370' }, parking_type: 'UNDERGROUND_GARAGE', facilities: ['MALL'],
    opening_times: { twentyfourseven: false, regular_hours: weekdays('07:00', '22:00') }, charging_when_closed: true,
  }, [evse(2, 1, 'AC', { floor_level: '-1', parking_restrictions: ['EMPLOYEES'] }), evse(2, 2, 'AC', { floor_level: '-1' })]),
  location(3, {
    name: 'Westerpark', address: 'Haarlemmerweg 8', city: 'Amsterdam', postal_code: '1014 BE',
    coordinates: { latitude: '52.386620', longitude: '4.876010' }, parking_type: 'ON_STREET', facilities: ['NATURE', 'RESTAURANT'],
  }, [evse(3, 1, 'AC', { parking_restrictions: ['EV_ONLY'] }), evse(3, 2, 'AC', { parking_restrictions: ['EV_ONLY'] })]),
  location(4, {
    name: 'Utrecht Jaarbeurs', address: 'Jaarbeursplein 6', city: 'Utrecht', postal_code: '3521 AL',
    coordinates: { latitude: '52.088650', longitude: '5.109730' }, parking_type: 'PARKING_LOT', facilities: ['TRAIN_STATION', 'HOTEL'],
    opening_times: { twentyfourseven: true, exceptional_closings: [{ period_begin: '2026-12-25T00:00:00Z', period_end: '2026-12-26T00:00:00Z' }] },
  }, [evse(4, 1, 'DC'), evse(4, 2, 'DC'), evse(4, 3, 'AC')]),
  location(5, {
    name: 'Utrecht Science Park', address: 'Heidelberglaan 8', city: 'Utrecht', postal_code: '3584 CS',
    coordinates: { latitude: '52.085640', longitude: '5.177510' }, parking_type: 'PARKING_LOT',
    opening_times: { twentyfourseven: false, regular_hours: weekdays('06:00', '23:00', [1, 2, 3, 4, 5, 6, 7]) },
  }, [evse(5, 1, 'AC'), evse(5, 2, 'AC', { status: 'OUTOFORDER' })]),
  location(6, {
    name: 'Rotterdam Markthal', address: 'Dominee Jan Scharpstraat 298', city: 'Rotterdam', postal_code: '3011 GZ',
    coordinates: { latitude: '51.920160', longitude: '4.487110' }, parking_type: 'UNDERGROUND_GARAGE', facilities: ['SUPERMARKET', 'RESTAURANT', 'MALL'],
    opening_times: { twentyfourseven: false, regular_hours: weekdays('08:00', '21:00', [1, 2, 3, 4, 5, 6]) },
  }, [evse(6, 1, 'AC', { floor_level: '-2' }), evse(6, 2, 'AC', { floor_level: '-2' }), evse(6, 3, 'AC', { floor_level: '-2' })]),
  location(7, {
    name: 'A16 Rotterdam-Noord Fastcharge', address: 'Ankerweg 2', city: 'Rotterdam', postal_code: '3044 AD',
    coordinates: { latitude: '51.956320', longitude: '4.496740' }, parking_type: 'ALONG_MOTORWAY', facilities: ['FUEL_STATION', 'CAFE', 'WIFI'],
    opening_times: { twentyfourseven: true },
  }, [evse(7, 1, 'DC'), evse(7, 2, 'DC'), evse(7, 3, 'DC'), evse(7, 4, 'DC')]),
  // Destination charger for hotel guests that the owner asked not to publish (mod_locations "destination charging
  // location not published"): shared only with peers a sharing policy names it for.
  location(8, {
    publish: false, name: 'Hotel Maas Guests', address: 'Boompjes 550', city: 'Rotterdam', postal_code: '3011 XZ',
    coordinates: { latitude: '51.910720', longitude: '4.484030' }, facilities: ['HOTEL'],
  }, [evse(8, 1, 'AC', { parking_restrictions: ['CUSTOMERS'] })]),
]

export async function seedLocations(admin) {
  for (const demo of DEMO_LOCATIONS) await admin('PUT', `/locations/${demo.country_code}/${demo.party_id}/${demo.id}`, demo)
}
