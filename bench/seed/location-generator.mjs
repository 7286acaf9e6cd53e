// Deterministic, realistically sized OCPI 2.3.0 Locations: 3 EVSEs each with 2 connectors, address, coordinates,
// opening times, facilities, parking places, operator and energy mix (about 4 KB of JSON, like a real CPO's feed).

const CITIES = [
  ['Amsterdam', '1012', 52.37, 4.89], ['Rotterdam', '3011', 51.92, 4.48], ['Utrecht', '3511', 52.09, 5.12],
  ['Den Haag', '2511', 52.08, 4.31], ['Eindhoven', '5611', 51.44, 5.47], ['Groningen', '9711', 53.22, 6.57],
  ['Tilburg', '5038', 51.56, 5.09], ['Almere', '1315', 52.37, 5.21], ['Breda', '4811', 51.59, 4.78], ['Nijmegen', '6511', 51.84, 5.86],
]
const STREETS = ['Stationsplein', 'Kerkstraat', 'Dorpsstraat', 'Marktplein', 'Industrieweg', 'Havenkade', 'Parklaan', 'Molenweg']
const STATUSES = ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'CHARGING', 'CHARGING', 'OUTOFORDER']
const FACILITIES = ['SUPERMARKET', 'CAFE', 'PARKING_LOT', 'WIFI', 'RESTAURANT', 'MALL', 'TRAIN_STATION']
const PARKING_TYPES = ['ON_STREET', 'PARKING_LOT', 'PARKING_GARAGE', 'ALONG_MOTORWAY']

/** Epoch ms of location `index`: distinct per location and not in id order, spread one second apart. */
export const lastUpdatedOf = (index, { count, baseTime }) => baseTime + ((index * 7919) % count) * 1000

export const locationIdOf = (index) => `LOC${String(index + 1).padStart(7, '0')}`

export function generateLocation(index, { count, countryCode, partyId, baseTime }) {
  const random = mulberry32(index + 1)
  const [city, postalPrefix, latitude, longitude] = CITIES[index % CITIES.length]
  const lastUpdated = new Date(lastUpdatedOf(index, { count, baseTime })).toISOString().replace('.000Z', 'Z')
  const id = locationIdOf(index)
  const fast = index % 4 === 0
  return {
    country_code: countryCode,
    party_id: partyId,
    id,
    publish: true,
    name: `${STREETS[index % STREETS.length]} ${city} ${index + 1}`,
    address: `${STREETS[(index >> 3) % STREETS.length]} ${1 + (index % 240)}`,
    city,
    postal_code: `${postalPrefix} ${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + ((index >> 5) % 26))}`,
    country: 'NLD',
    coordinates: { latitude: (latitude + (random() - 0.5) / 5).toFixed(6), longitude: (longitude + (random() - 0.5) / 5).toFixed(6) },
    parking_type: PARKING_TYPES[index % PARKING_TYPES.length],
    evses: [0, 1, 2].map((position) => evse(index, position, { countryCode, partyId, fast, lastUpdated, random })),
    parking_places: [0, 1, 2].map((position) => ({
      id: `P${position + 1}`, physical_reference: `${position + 1}`, vehicle_types: ['PERSONAL_VEHICLE'],
      restricted_to_type: true, reservation_required: false, roofed: index % 3 === 0,
    })),
    operator: { name: 'Bench Charging B.V.', website: 'https://charging.example.com' },
    facilities: [FACILITIES[index % FACILITIES.length], FACILITIES[(index + 3) % FACILITIES.length]],
    time_zone: 'Europe/Amsterdam',
    opening_times: index % 5 === 0
      ? { twentyfourseven: false, regular_hours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, period_begin: '07:00', period_end: '22:00' })) }
      : { twentyfourseven: true },
    energy_mix: { is_green_energy: true, energy_sources: [{ source: 'WIND', percentage: 60 }, { source: 'SOLAR', percentage: 40 }], supplier_name: 'Groene Stroom N.V.' },
    help_phone: '+31201234567',
    last_updated: lastUpdated,
  }
}

function evse(index, position, { countryCode, partyId, fast, lastUpdated, random }) {
  const uid = `${locationIdOf(index)}-${position + 1}`
  return {
    uid,
    evse_id: `${countryCode}*${partyId}*E${String(index + 1).padStart(7, '0')}${position + 1}`,
    status: STATUSES[Math.floor(random() * STATUSES.length)],
    capabilities: ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'CHARGING_PROFILE_CAPABLE', ...(fast ? ['CREDIT_CARD_PAYABLE'] : [])],
    connectors: fast
      ? [
          { id: '1', standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000, tariff_ids: ['DC-FAST'], last_updated: lastUpdated },
          { id: '2', standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_voltage: 500, max_amperage: 125, max_electric_power: 50000, tariff_ids: ['DC-FAST'], last_updated: lastUpdated },
        ]
      : [
          { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22080, tariff_ids: ['AC-REGULAR'], last_updated: lastUpdated },
          { id: '2', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16, max_electric_power: 11040, tariff_ids: ['AC-REGULAR'], last_updated: lastUpdated },
        ],
    parking: [{ parking_id: `P${position + 1}`, evse_position: 'CENTER' }],
    physical_reference: `${position + 1}`,
    floor_level: '0',
    last_updated: lastUpdated,
  }
}

/** Small, fast, seedable PRNG (deterministic objects keep the cached state valid). */
function mulberry32(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
