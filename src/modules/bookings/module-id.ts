// mod_bookings: "Module Identifier: `Booking`". The module is not in the 2.3.0 ModuleID list: the release adds it "on
// top of OCPI" (changelog), so it is used only with peers that agreed to it (src/peers/extensions.ts).
export const BOOKINGS_MODULE = 'Booking'
