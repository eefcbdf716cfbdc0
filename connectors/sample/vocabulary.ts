// Word lists the Sample source builds its records from. The business is a fictional outdoor-gear
// retailer; every domain is under the reserved .example TLD or example.com/.net/.org (RFC 2606),
// so a migration of sample data into a real system can never email a real person.

export const ACCOUNT_NAME = "Lumen Outfitters";
export const ACCOUNT_DOMAIN = "lumen-outfitters.example";

export const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Amelia",
  "Noah",
  "Isla",
  "Oliver",
  "Ava",
  "George",
  "Mia",
  "Arthur",
  "Sophia",
  "Leo",
  "Grace",
  "Oscar",
  "Freya",
  "Harry",
  "Lily",
  "Jack",
  "Chloé",
  "Mateo",
  "Zoë",
  "Luca",
  "Aisha",
  "Omar",
  "Priya",
  "Arjun",
  "Mei",
  "Hiroshi",
  "Ingrid",
  "Lars",
  "Fatima",
  "Yusuf",
  "Elena",
  "Diego",
  "Hannah",
  "Jonas",
  "Nia",
  "Kwame",
  "Siobhán",
  "Seán",
  "Anna-Lena",
  "Jean-Luc",
  "María José",
  "Bartholomew",
  "Ruth",
  "Sam",
  "Alex",
  "Jo",
  "Kai",
  "Noor",
] as const;

export const LAST_NAMES = [
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Patel",
  "Khan",
  "García",
  "Müller",
  "Schmidt",
  "Rossi",
  "Dubois",
  "Nakamura",
  "Kim",
  "Nguyen",
  "Okafor",
  "Mensah",
  "O'Brien",
  "McDonald",
  "van der Berg",
  "De la Cruz",
  "Ó Súilleabháin",
  "Lindqvist",
  "Kowalski",
  "Novak",
  "Ahmed",
  "Silva",
  "Fernández",
  "Andersen",
  "Walsh",
  "Murphy",
  "Clarke",
  "Hughes",
  "Evans",
  "Lewis",
  "Roberts",
  "Wright",
] as const;

export const COMPANY_PREFIXES = [
  "Brightwater",
  "Kestrel",
  "Northwind",
  "Bluepeak",
  "Copperfield",
  "Silverline",
  "Redwood",
  "Harbor",
  "Summit",
  "Evergreen",
  "Ironbridge",
  "Foxglove",
  "Larkspur",
  "Granite",
  "Meridian",
  "Oakhurst",
  "Pinecrest",
  "Riverside",
  "Stonegate",
  "Westbrook",
  "Aurora",
  "Beacon",
  "Cascade",
  "Driftwood",
  "Elmstead",
  "Falcon",
  "Glenmore",
  "Highland",
  "Juniper",
  "Lakeshore",
  "Maple",
  "Nimbus",
  "Orchard",
  "Quarry",
  "Rosewood",
  "Saltmarsh",
  "Thornbury",
  "Upland",
  "Valley",
  "Willow",
] as const;

export const COMPANY_SUFFIXES = [
  "Logistics",
  "Outdoor Co",
  "Adventures",
  "Supply",
  "Trading",
  "Expeditions",
  "Retail",
  "Partners",
  "Travel",
  "Sports",
  "Ltd",
  "GmbH",
  "& Sons",
  "Group",
  "Holdings",
  "Rentals",
  "Academy",
  "Clubs",
  "Events",
  "Works",
  "Labs",
  "Studio",
  "Guides",
  "Camps",
  "Mountaineering",
  "Cycles",
  "Kayaks",
  "Lodges",
  "Hostels",
  "Gear",
] as const;

export const INDUSTRIES = [
  { value: "retail", label: "Retail" },
  { value: "travel", label: "Travel & tourism" },
  { value: "education", label: "Education" },
  { value: "logistics", label: "Logistics" },
  { value: "hospitality", label: "Hospitality" },
  { value: "sports", label: "Sports clubs" },
] as const;

export const COMPANY_TIERS = [
  { value: "enterprise", label: "Enterprise" },
  { value: "mid-market", label: "Mid-market" },
  { value: "smb", label: "SMB" },
] as const;

/** Countries as people type them: the same country under several names, on purpose. */
export const PLACES = [
  { city: "London", country: "United Kingdom", phone: "gb" },
  { city: "Manchester", country: "UK", phone: "gb" },
  { city: "Edinburgh", country: "GB", phone: "gb" },
  { city: "New York", country: "United States", phone: "us" },
  { city: "San Francisco", country: "USA", phone: "us" },
  { city: "Austin", country: "US", phone: "us" },
  { city: "Chicago", country: "United States of America", phone: "us" },
  { city: "Paris", country: "France", phone: "fr" },
  { city: "Berlin", country: "Germany", phone: "de" },
  { city: "München", country: "Deutschland", phone: "de" },
  { city: "Sydney", country: "Australia", phone: "au" },
  { city: "Dublin", country: "Ireland", phone: "gb" },
] as const;

export const STREETS = [
  "High Street",
  "Market Square",
  "Station Road",
  "Main St.",
  "Church Lane",
  "Rue de la Paix",
  "Hauptstraße",
  "George St",
  "Harbour Way",
  "Mill Road",
] as const;

export const JOB_TITLES = [
  "Office Manager",
  "Head of Operations",
  "Buyer",
  "Owner",
  "Procurement Lead",
  "Trip Leader",
  "CFO",
  "Events Coordinator",
  "IT Admin",
  "Founder & CEO",
] as const;

export const PERSONAL_EMAIL_DOMAINS = ["example.com", "example.net", "example.org"] as const;

export const PRODUCTS = [
  "Trailblazer 40L backpack",
  "Summit 2 tent",
  "Glacier sleeping bag",
  "Ridge trekking poles",
  "Storm shell jacket",
  "Basecamp stove",
  "gift card",
  "membership",
  "rental kit",
] as const;

export const TICKET_TYPES = [
  { value: "question", label: "Question" },
  { value: "problem", label: "Problem" },
  { value: "incident", label: "Incident" },
  { value: "feature-request", label: "Feature request" },
] as const;

export const TICKET_STATUSES = [
  { value: "open", label: "Open" },
  { value: "waiting", label: "Waiting on customer" },
  { value: "on-hold", label: "On hold" },
  { value: "solved", label: "Solved" },
  { value: "closed", label: "Closed" },
] as const;

export const TICKET_PRIORITIES = [
  { value: "low", label: "Low" },
  { value: "normal", label: "Normal" },
  { value: "high", label: "High" },
  { value: "urgent", label: "Urgent" },
] as const;

export const TICKET_SOURCES = [
  { value: "email", label: "Email" },
  { value: "web", label: "Web form" },
  { value: "phone", label: "Phone" },
  { value: "chat", label: "Chat" },
] as const;

/** Tags as agents typed them over the years: near-duplicates included. */
export const TICKET_TAGS = [
  "billing",
  "Billing",
  "refund",
  "shipping",
  "returns",
  "bug",
  "vip",
  "urgent ",
  "feature request",
  "feature-request",
  "onboarding",
  "churn-risk",
  "warranty",
  "damaged-item",
  "follow up",
] as const;

export const CUSTOMER_TAGS = ["vip", "VIP", "newsletter", "partner", "beta-tester", "wholesale"] as const;

export const PRODUCT_AREAS = [
  { value: "billing", label: "Billing" },
  { value: "shipping", label: "Shipping" },
  { value: "returns", label: "Returns & exchanges" },
  { value: "accounts", label: "Accounts" },
  { value: "mobile-app", label: "Mobile app" },
] as const;

export const PLATFORMS = [
  { value: "web", label: "Web" },
  { value: "ios", label: "iOS" },
  { value: "android", label: "Android" },
  { value: "desktop", label: "Desktop" },
] as const;

export const OPPORTUNITY_STAGES = [
  { value: "NEW", label: "New" },
  { value: "SCREENING", label: "Screening" },
  { value: "MEETING", label: "Meeting" },
  { value: "PROPOSAL", label: "Proposal" },
  { value: "CUSTOMER", label: "Customer" },
] as const;

export const TASK_STATUSES = [
  { value: "TODO", label: "To do" },
  { value: "IN_PROGRESS", label: "In progress" },
  { value: "DONE", label: "Done" },
] as const;

export const CURRENCY_CODES = ["USD", "EUR", "GBP"] as const;

export const SUBJECTS: Record<string, readonly string[]> = {
  question: [
    "How do I return my {product}?",
    "Question about the {product}",
    "Can I change my delivery address?",
    "Do you ship to Norway?",
    "Is the {product} waterproof?",
    "Bulk discount for our club?",
  ],
  problem: [
    "{product} arrived damaged",
    "Order {order} hasn't arrived",
    "Zip broken on {product}",
    "Charged twice for order {order}",
    "Wrong size sent",
    "Refund not received for {order}",
  ],
  incident: ["Checkout failing with error 500", "Can't log in to my account", "Website down?", "Payment page keeps loading", "App crashes on start"],
  "feature-request": [
    "Feature request: gift wrapping",
    "Could you add PayPal?",
    "Please add a size guide for the {product}",
    "Wishlist sharing would be great",
  ],
};

export const CUSTOMER_OPENERS = [
  "I ordered the {product} two weeks ago and it still hasn't shown up.",
  "The {product} I received has a tear along the seam.",
  "I was charged twice for order {order}, can you check?",
  "I can't find how to change the shipping address on my order.",
  "Your checkout page shows an error when I try to pay by card.",
  "We're a club of 40 people and would like to order in bulk.",
  "Is it possible to exchange the {product} for a larger size?",
];

export const CUSTOMER_FOLLOW_UPS = [
  "Any update on this?",
  "Thanks, that worked!",
  "I've attached a photo of the damage.",
  "Still waiting to hear back…",
  "Sorry, here is the order number: {order}",
  "OK, I'll try that and let you know.",
];

export const AGENT_REPLIES = [
  "Thanks for getting in touch. I've checked order {order} and it left our warehouse yesterday.",
  "I'm sorry about that. I've arranged a replacement {product}, which should reach you in 3–5 working days.",
  "I've issued a full refund to your original payment method; banks take up to 5 days to show it.",
  "Could you send us a photo of the item and the order number so we can look into it?",
  "Our checkout had a short outage this morning; it is fixed now. Could you try again?",
  "Happy to help! You can change the address under <strong>Account → Orders</strong> until the order ships.",
];

export const INTERNAL_NOTES = [
  "Checked the payment provider: duplicate charge confirmed, refund issued.",
  "Customer is on the VIP list, expedite.",
  "Escalated to the warehouse team, waiting on stock count.",
  "Known issue, see incident from Tuesday.",
  "Called the customer, no answer. Left a voicemail.",
  "Courier says parcel was delivered to a neighbour.",
];

export const NOTE_TITLES = ["Call summary", "Quarterly review", "Pricing discussion", "Onboarding notes", "Complaint follow-up", "Renewal risk", ""] as const;

export const TASK_TITLES = [
  "Send revised quote",
  "Follow up on renewal",
  "Book onboarding call",
  "Check delivery status",
  "Prepare bulk order invoice",
  "Update billing contact",
] as const;

export const ATTACHMENTS = [
  { fileName: "photo.jpg", contentType: "image/jpeg" },
  { fileName: "IMG_2041.HEIC", contentType: "image/heic" },
  { fileName: "invoice.pdf", contentType: "application/pdf" },
  { fileName: "screenshot 2025-03-14 at 10.22.01.png", contentType: "image/png" },
  { fileName: "order-details.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { fileName: "return label (1).pdf", contentType: "application/pdf" },
] as const;
